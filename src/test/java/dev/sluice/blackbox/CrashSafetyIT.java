package dev.sluice.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

import com.sun.net.httpserver.HttpServer;

import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Crash safety of filesystem buffering, on the real binary: a Forward client sends numbered
 * records and waits for each ack while the HTTP output answers 503; the process is killed with
 * SIGKILL at random points and restarted, several times; then the output comes back and every
 * acknowledged record must arrive. A record may arrive twice only if the client had to send it
 * again because its ack was lost in a kill.
 */
class CrashSafetyIT {

	@TempDir
	Path dir;

	/** n → times received by the HTTP server (with 200). */
	private final Map<Long, AtomicInteger> received = new ConcurrentHashMap<>();

	private final AtomicBoolean outputUp = new AtomicBoolean();

	private final AtomicLong refused = new AtomicLong();

	private static final int BATCH = 20;

	private HttpServer server(int port) throws IOException {
		HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
		JsonMapper json = JsonMapper.builder().build();
		s.createContext("/", (ex) -> {
			byte[] body = ex.getRequestBody().readAllBytes();
			if (!this.outputUp.get()) {
				this.refused.incrementAndGet();
				ex.sendResponseHeaders(503, -1);
				ex.close();
				return;
			}
			JsonNode arr = json.readTree(body);
			for (JsonNode r : arr) {
				this.received.computeIfAbsent(r.get("n").asLong(), (k) -> new AtomicInteger()).incrementAndGet();
			}
			ex.sendResponseHeaders(200, -1);
			ex.close();
		});
		s.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
		s.start();
		return s;
	}

	/** A Forward client that sends batches of numbered records, each until it is acknowledged. */
	private static final class Client implements Runnable {

		final int port;

		final Set<Long> acked = ConcurrentHashMap.newKeySet();

		/** Records sent more than once (their ack was lost when the process was killed). */
		final Set<Long> resent = ConcurrentHashMap.newKeySet();

		final AtomicBoolean stop = new AtomicBoolean();

		final AtomicLong nextBatch = new AtomicLong();

		final AtomicLong sends = new AtomicLong();

		volatile Throwable failure;

		Socket socket;

		Client(int port) {
			this.port = port;
		}

		@Override
		public void run() {
			try {
				while (!this.stop.get()) {
					long b = this.nextBatch.get();
					boolean sentOnce = false;
					while (true) {
						try {
							if (this.socket == null) {
								this.socket = new Socket();
								this.socket.connect(new InetSocketAddress("127.0.0.1", this.port), 1000);
								this.socket.setSoTimeout(10_000);
							}
							if (sentOnce) {
								for (long n = b * BATCH; n < (b + 1) * BATCH; n++) {
									this.resent.add(n);
								}
							}
							sentOnce = true;
							this.sends.incrementAndGet();
							send(this.socket.getOutputStream(), b);
							if (readAck(this.socket.getInputStream(), "b" + b)) {
								for (long n = b * BATCH; n < (b + 1) * BATCH; n++) {
									this.acked.add(n);
								}
								break;
							}
							throw new IOException("wrong ack");
						}
						catch (IOException | org.msgpack.core.MessagePackException ex) {
							// killed: connection refused, reset, or closed in the middle of an ack
							closeQuietly();
							Thread.sleep(50);
						}
					}
					this.nextBatch.incrementAndGet();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (Throwable t) {
				this.failure = t;
			}
			finally {
				closeQuietly();
			}
		}

		private void closeQuietly() {
			if (this.socket != null) {
				try {
					this.socket.close();
				}
				catch (IOException ex) {
					// closing
				}
				this.socket = null;
			}
		}

		private static void send(OutputStream out, long b) throws IOException {
			MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
			p.packArrayHeader(3);
			p.packString("crash.test");
			p.packArrayHeader(BATCH);
			for (long n = b * BATCH; n < (b + 1) * BATCH; n++) {
				p.packArrayHeader(2);
				p.packLong(1_700_000_000L + n);
				p.packMapHeader(2);
				p.packString("n");
				p.packLong(n);
				p.packString("pad");
				p.packString("x".repeat(100));
			}
			p.packMapHeader(2);
			p.packString("size");
			p.packInt(BATCH);
			p.packString("chunk");
			p.packString("b" + b);
			out.write(p.toByteArray());
			out.flush();
		}

		private static boolean readAck(InputStream in, String chunk) throws IOException {
			MessageUnpacker u = MessagePack.newDefaultUnpacker(in);
			Value v = u.unpackValue();
			if (!v.isMapValue()) {
				return false;
			}
			Value ack = v.asMapValue().map().get(org.msgpack.value.ValueFactory.newString("ack"));
			return ack != null && ack.toString().equals(chunk);
		}
	}

	private String config(int forwardPort, int httpPort) {
		return """
				[SERVICE]
				    Flush             0.5
				    Grace             2
				    Log_Level         info
				    scheduler.base    1
				    scheduler.cap     2
				    storage.path      %s
				    storage.sync      normal
				    storage.checksum  on

				[INPUT]
				    Name          forward
				    Listen        127.0.0.1
				    Port          %d
				    storage.type  filesystem

				[OUTPUT]
				    Name         http
				    Match        *
				    Host         127.0.0.1
				    Port         %d
				    Format       json
				    Retry_Limit  no_limits
				""".formatted(this.dir.resolve("storage"), forwardPort, httpPort);
	}

	/** The Forward input is listening (a loaded machine may take many seconds to start a JVM). */
	private static void awaitListening(SluiceProcess p) {
		p.awaitStderr("the forward input listening", (err) -> {
			if (!p.isAlive()) {
				throw new AssertionError("sluice exited:\n" + err);
			}
			return err.contains("listening on 127.0.0.1");
		});
	}

	@Test
	void everyAcknowledgedRecordArrivesAcrossRepeatedSigkills() throws Exception {
		int forwardPort = Ports.free();
		int httpPort = Ports.free();
		Path conf = this.dir.resolve("crash.conf");
		Files.writeString(conf, config(forwardPort, httpPort));
		Random random = new Random();
		long seed = random.nextLong();
		random.setSeed(seed);
		HttpServer http = server(httpPort);
		Client client = new Client(forwardPort);
		Thread sender = Thread.ofPlatform().name("forward-client").start(client);
		int kills = 3 + random.nextInt(2);
		StringBuilder story = new StringBuilder("seed=" + seed + "\n");
		try {
			for (int k = 0; k < kills; k++) {
				try (SluiceProcess p = SluiceProcess.start(this.dir, "-c", conf.toString())) {
					awaitListening(p);
					long before = client.acked.size();
					Await.until(Duration.ofSeconds(30), "records acknowledged by run " + k, () -> client.acked.size() > before);
					Thread.sleep(200 + random.nextInt(1500));
					story.append("run ").append(k).append(": killed with ").append(client.acked.size())
						.append(" records acked\n");
					p.signal("KILL");
					p.waitFor(Duration.ofSeconds(20));
				}
			}
			// the output comes back; the last run delivers the backlog and what arrives now
			this.outputUp.set(true);
			try (SluiceProcess p = SluiceProcess.start(this.dir, "-c", conf.toString())) {
				awaitListening(p);
				long before = client.acked.size();
				Await.until(Duration.ofSeconds(30), "records acknowledged by the last run", () -> client.acked.size() > before + 5 * BATCH);
				client.stop.set(true);
				sender.join(Duration.ofSeconds(20));
				assertThat(client.failure).isNull();
				Set<Long> acked = client.acked;
				Await.until(Duration.ofSeconds(40), "every acknowledged record delivered (" + acked.size() + ")",
						() -> this.received.keySet().containsAll(acked));
				long duplicates = this.received.entrySet().stream().filter((e) -> e.getValue().get() > 1).count();
				Set<Long> dupKeys = new java.util.HashSet<>();
				this.received.forEach((n, c) -> {
					if (c.get() > 1) {
						dupKeys.add(n);
					}
				});
				story.append("acked=").append(acked.size()).append(", received distinct=").append(this.received.size())
					.append(", duplicates=").append(duplicates).append(", resent by the client=")
					.append(client.resent.size()).append(", batches sent=").append(client.sends.get()).append(", 503 answers=").append(this.refused.get()).append('\n');
				System.out.println("[CrashSafetyIT] " + story);
				assertThat(client.resent).as(story.toString()).containsAll(dupKeys);
				assertThat(this.refused.get()).as("the output was down during the kills").isPositive();
				p.terminate();
				p.waitFor(Duration.ofSeconds(30));
			}
		}
		finally {
			client.stop.set(true);
			sender.interrupt();
			http.stop(0);
		}
	}
}
