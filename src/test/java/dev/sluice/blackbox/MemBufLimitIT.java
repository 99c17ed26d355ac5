package dev.sluice.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

import com.sun.net.httpserver.HttpServer;

import dev.sluice.testing.Await;
import dev.sluice.testing.Http;
import dev.sluice.testing.Ports;

/**
 * Backpressure on the real binary: a Forward client pushes ten times {@code Mem_Buf_Limit} as
 * fast as it can against an output that answers 503. The input pauses, stops reading its socket
 * (the client blocks), and what Sluice holds stays near the limit. The process's RSS is measured
 * and printed.
 */
class MemBufLimitIT {

	@TempDir
	Path dir;

	private static long rssKiB(long pid) throws Exception {
		for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", ""));
			}
		}
		throw new AssertionError("no VmRSS for " + pid);
	}

	@Test
	void aFastClientAgainstAStalledOutputIsHeldAtTheLimit() throws Exception {
		int forwardPort = Ports.free();
		int httpPort = Ports.free();
		int adminPort = Ports.free();
		long limit = 2_000_000;
		HttpServer stalled = HttpServer.create(new InetSocketAddress("127.0.0.1", httpPort), 50);
		stalled.createContext("/", (ex) -> {
			ex.getRequestBody().readAllBytes();
			ex.sendResponseHeaders(503, -1);
			ex.close();
		});
		stalled.start();
		Path conf = this.dir.resolve("membuf.conf");
		Files.writeString(conf, """
				[SERVICE]
				    Flush            0.5
				    Grace            1
				    HTTP_Server      On
				    HTTP_Listen      127.0.0.1
				    HTTP_Port        %d
				    scheduler.base   1
				    scheduler.cap    2

				[INPUT]
				    Name           forward
				    Listen         127.0.0.1
				    Port           %d
				    Mem_Buf_Limit  %d

				[OUTPUT]
				    Name         http
				    Match        *
				    Host         127.0.0.1
				    Port         %d
				    Retry_Limit  no_limits
				""".formatted(adminPort, forwardPort, limit, httpPort));
		AtomicLong sent = new AtomicLong();
		long target = 10 * limit;
		try (SluiceProcess p = SluiceProcess.start(this.dir, "-c", conf.toString())) {
			p.awaitStderr("forward listening", (err) -> err.contains("listening on 127.0.0.1"));
			long rssStart = rssKiB(p.pid());
			Thread client = Thread.ofPlatform().name("fast-client").start(() -> {
				try (Socket s = new Socket("127.0.0.1", forwardPort)) {
					OutputStream out = s.getOutputStream();
					long n = 0;
					while (sent.get() < target) {
						MessageBufferPacker pk = MessagePack.newDefaultBufferPacker();
						pk.packArrayHeader(2);
						pk.packString("fast");
						pk.packArrayHeader(500);
						for (int i = 0; i < 500; i++, n++) {
							pk.packArrayHeader(2);
							pk.packLong(1_700_000_000L + n);
							pk.packMapHeader(2);
							pk.packString("n");
							pk.packLong(n);
							pk.packString("msg");
							pk.packString("y".repeat(200));
						}
						byte[] b = pk.toByteArray();
						out.write(b);
						sent.addAndGet(b.length);
					}
				}
				catch (Exception ex) {
					// the socket is closed when the test ends while the client is blocked
				}
			});
			// the input pauses and stops reading: the client cannot push everything
			Await.until(Duration.ofSeconds(60), "the input paused for mem_buf_limit", () -> {
				String st = Http.bodyOrNull("http://127.0.0.1:" + adminPort + "/api/v2/metrics/prometheus");
				return st != null && st.contains("fluentbit_input_ingestion_paused{name=\"forward.0\"} 1");
			});
			long stuckAt = -1;
			while (stuckAt != sent.get()) {
				stuckAt = sent.get();
				Thread.sleep(3000);
			}
			assertThat(sent.get()).as("bytes the client got through").isLessThan(target);
			String v2 = Http.bodyOrNull("http://127.0.0.1:" + adminPort + "/api/v2/metrics/prometheus");
			long held = 0;
			for (String line : v2.split("\\n")) {
				if (line.startsWith("fluentbit_input_storage_memory_bytes{name=\"forward.0\"}")) {
					held = Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
				}
			}
			long rssEnd = rssKiB(p.pid());
			System.out.printf("[MemBufLimitIT] mem_buf_limit=%d B, client pushed %d of %d B before blocking, held in chunks %d B,"
					+ " RSS %d MiB at start -> %d MiB when blocked%n", limit, sent.get(), target, held, rssStart / 1024,
					rssEnd / 1024);
			// permissive like Fluent Bit: one append may overshoot the limit
			assertThat(held).isBetween(limit, 2 * limit);
			client.interrupt();
			p.terminate();
			p.waitFor(Duration.ofSeconds(30));
		}
		finally {
			stalled.stop(0);
		}
	}
}
