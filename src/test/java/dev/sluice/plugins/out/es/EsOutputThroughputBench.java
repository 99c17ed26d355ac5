package dev.sluice.plugins.out.es;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import com.sun.net.httpserver.HttpServer;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.testing.Await;

/**
 * Throughput of lib → es output ({@code _bulk}, optionally {@code generate_id}) → a trivial local
 * server that counts documents and answers {@code "errors":false}. Run with
 * {@code -Dsluice.bench=true} ({@code -Dsluice.bench.generate_id=on} to hash every document).
 */
@EnabledIfSystemProperty(named = "sluice.bench", matches = "true")
class EsOutputThroughputBench {

	@Test
	void throughput() throws Exception {
		AtomicLong docs = new AtomicLong();
		AtomicLong requests = new AtomicLong();
		HttpServer srv = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
		srv.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		byte[] ok = "{\"took\":1,\"errors\":false,\"items\":[]}".getBytes(StandardCharsets.UTF_8);
		srv.createContext("/", (ex) -> {
			long n = 0;
			try (var in = ex.getRequestBody()) {
				byte[] buf = new byte[65536];
				int r;
				while ((r = in.read(buf)) > 0) {
					for (int i = 0; i < r; i++) {
						if (buf[i] == '\n') {
							n++;
						}
					}
				}
			}
			docs.addAndGet(n / 2);
			requests.incrementAndGet();
			ex.sendResponseHeaders(200, ok.length);
			ex.getResponseBody().write(ok);
			ex.close();
		});
		srv.start();
		int batches = Integer.getInteger("sluice.bench.batches", 400);
		int perBatch = 1000;
		List<LogEvent> batch = new ArrayList<>();
		for (int i = 0; i < perBatch; i++) {
			Map<String, Object> r = new LinkedHashMap<>();
			r.put("message", "hello es " + i);
			r.put("level", 6L);
			r.put("host", "web-1");
			r.put("n", (long) i);
			batch.add(new LogEvent(new EventTime(1_795_314_975L + i, 103_472_000), r));
		}
		String generateId = System.getProperty("sluice.bench.generate_id", "off");
		try (EmbeddedSluice s = EmbeddedSluice.builder().service("flush", "0.2").service("log_level", "warn")
			.input("lib", "tag", "t")
			.output("es", "match", "*", "host", "127.0.0.1", "port", String.valueOf(srv.getAddress().getPort()),
					"logstash_format", "on", "generate_id", generateId, "log_level", "warn")
			.build()
			.start()) {
			LibInput lib = s.plugin("lib.0", LibInput.class);
			long total = (long) batches * perBatch;
			long t0 = System.nanoTime();
			for (int b = 0; b < batches; b++) {
				lib.push(batch);
			}
			Await.until(Duration.ofMinutes(5), "all records", () -> docs.get() >= total);
			double secs = (System.nanoTime() - t0) / 1e9;
			System.out.printf("es output throughput (generate_id %s): %d records in %.2f s = %.0f records/s (%d requests)%n",
					generateId, total, secs, total / secs, requests.get());
		}
		finally {
			srv.stop(0);
		}
	}
}
