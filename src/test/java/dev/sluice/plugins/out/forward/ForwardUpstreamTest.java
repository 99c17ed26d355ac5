package dev.sluice.plugins.out.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.EventTime;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugins.TestChunk;
import dev.sluice.plugins.TestContext;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;

/** The forward output with an {@code upstream} file: round-robin across nodes, failover. */
class ForwardUpstreamTest {

	static final Duration DEADLINE = Duration.ofSeconds(20);

	@TempDir
	Path dir;

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private final TestContext ctx = new TestContext("forward.0");

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable c : this.closeables.reversed()) {
			c.close();
		}
	}

	private Path upstreamFile(String... nodes) throws Exception {
		StringBuilder sb = new StringBuilder("[UPSTREAM]\n    name  forward-balancing\n\n");
		for (String n : nodes) {
			sb.append("[NODE]\n").append(n).append('\n');
		}
		Path f = this.dir.resolve("upstream.conf");
		Files.writeString(f, sb.toString());
		return f;
	}

	static String node(String name, int port, String... extra) {
		StringBuilder sb = new StringBuilder();
		sb.append("    name  ").append(name).append("\n    host  127.0.0.1\n    port  ").append(port).append('\n');
		for (String e : extra) {
			sb.append("    ").append(e).append('\n');
		}
		return sb.toString();
	}

	private FakeForwardServer server(int port, String key) throws Exception {
		FakeForwardServer s = new FakeForwardServer(port, key);
		this.closeables.add(s);
		return s;
	}

	private ForwardOutput output(Path upstream, String... kv) throws Exception {
		ForwardOutputConfig c = ForwardOutputTest.config(0);
		c.upstream = upstream.toString();
		for (int i = 0; i < kv.length; i += 2) {
			this.ctx.properties().put(kv[i], kv[i + 1]);
		}
		this.ctx.properties().putIfAbsent("net.io_timeout", "2s");
		this.ctx.properties().putIfAbsent("net.connect_timeout", "2s");
		ForwardOutput o = new ForwardOutput();
		o.init(c, this.ctx);
		this.closeables.add(o::exit);
		return o;
	}

	private FlushResult flush(ForwardOutput o, int n) throws Exception {
		return o.flush(TestChunk.of("app", ForwardOutputTest.events(n)), this.ctx);
	}

	@Test
	void flushesGoRoundRobinAcrossNodes() throws Exception {
		FakeForwardServer a = server(0, null);
		FakeForwardServer b = server(0, null);
		ForwardOutput o = output(upstreamFile(node("node-1", a.port()), node("node-2", b.port())));
		assertThat(o.ha().name()).isEqualTo("forward-balancing");
		assertThat(o.ha().nodes()).extracting(n -> n.name()).containsExactly("node-1", "node-2");
		for (int i = 0; i < 6; i++) {
			assertThat(flush(o, 1)).isEqualTo(FlushResult.OK);
		}
		Await.until(DEADLINE, "6 messages", () -> a.received.size() + b.received.size() == 6);
		assertThat(a.received).hasSize(3);
		assertThat(b.received).hasSize(3);
		// each node keeps its own kept-alive connection
		assertThat(a.connections.get()).isEqualTo(1);
		assertThat(b.connections.get()).isEqualTo(1);
	}

	@Test
	void aNodeThatIsDownIsSkippedAndUsedAgainWhenBack() throws Exception {
		FakeForwardServer a = server(0, null);
		int bPort = Ports.free();
		ForwardOutput o = output(upstreamFile(node("node-1", a.port()), node("node-2", bPort)));
		for (int i = 0; i < 4; i++) {
			assertThat(flush(o, 1)).as("flush %d fails over to node-1", i).isEqualTo(FlushResult.OK);
		}
		Await.until(DEADLINE, "4 messages on node-1", () -> a.received.size() == 4);
		FakeForwardServer b = server(bPort, null);
		for (int i = 0; i < 4; i++) {
			assertThat(flush(o, 1)).isEqualTo(FlushResult.OK);
		}
		Await.until(DEADLINE, "8 messages", () -> a.received.size() + b.received.size() == 8);
		assertThat(b.received).hasSize(2);
		assertThat(a.received).hasSize(6);
	}

	@Test
	void allNodesDownIsRetryThenDelivered() throws Exception {
		int aPort = Ports.free();
		int bPort = Ports.free();
		ForwardOutput o = output(upstreamFile(node("node-1", aPort), node("node-2", bPort)));
		assertThat(flush(o, 2)).isEqualTo(FlushResult.RETRY);
		FakeForwardServer b = server(bPort, null);
		assertThat(flush(o, 2)).isEqualTo(FlushResult.OK);
		Await.until(DEADLINE, "1 message", () -> b.received.size() == 1);
		assertThat(b.events()).hasSize(2);
	}

	@Test
	void nodeSharedKeyAndHostnameReplaceTheOutputs() throws Exception {
		FakeForwardServer a = server(0, "node-secret");
		ForwardOutput o = output(upstreamFile(node("node-1", a.port(), "shared_key node-secret", "self_hostname n1-client")));
		assertThat(flush(o, 1)).isEqualTo(FlushResult.OK);
		Await.until(DEADLINE, "1 message", () -> a.received.size() == 1);
		assertThat(a.pingHostnames).containsExactly("n1-client");
	}

	@Test
	void badUpstreamFilesAreStartUpErrors() throws Exception {
		assertThatThrownBy(() -> output(this.dir.resolve("missing.conf"))).hasMessageContaining("cannot open upstream file");
		Path noHost = this.dir.resolve("nohost.conf");
		Files.writeString(noHost, "[UPSTREAM]\n    name  x\n[NODE]\n    name  n\n    port  1\n");
		assertThatThrownBy(() -> output(noHost)).hasMessageContaining("has no 'host'");
		Path noNodes = this.dir.resolve("nonodes.conf");
		Files.writeString(noNodes, "[UPSTREAM]\n    name  x\n");
		assertThatThrownBy(() -> output(noNodes)).hasMessageContaining("has no [NODE] sections");
	}

	/** Two Sluice pipelines with forward inputs as the nodes; one is stopped midway. */
	@Test
	void twoSluiceForwardInputsShareTheLoadAndOneTakesOverWhenTheOtherStops() throws Exception {
		int p1 = Ports.free();
		int p2 = Ports.free();
		EmbeddedSluice n1 = node(p1);
		EmbeddedSluice n2 = node(p2);
		Path up = upstreamFile(node("node-1", p1), node("node-2", p2));
		EmbeddedSluice sender = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05").service("grace", "1")
			.input("lib", "tag", "app")
			.output("forward", "match", "*", "upstream", up.toString(), "net.connect_timeout", "2s", "retry_limit",
					"no_limits")
			.build();
		this.closeables.add(sender::close);
		sender.start();
		LibInput in = sender.plugin("lib.0", LibInput.class);
		LibOutput out1 = n1.plugin("lib.0", LibOutput.class);
		LibOutput out2 = n2.plugin("lib.0", LibOutput.class);
		for (int i = 0; i < 10; i++) {
			in.push(EventTime.now(), Map.of("n", (long) i));
			int want = i + 1;
			Await.until(DEADLINE, "record " + i, () -> out1.events().size() + out2.events().size() == want);
		}
		assertThat(out1.events()).isNotEmpty();
		assertThat(out2.events()).isNotEmpty();
		n2.close();
		int before1 = out1.events().size();
		for (int i = 10; i < 16; i++) {
			in.push(EventTime.now(), Map.of("n", (long) i));
		}
		Await.until(DEADLINE, "6 more records on node-1", () -> out1.events().size() == before1 + 6);
		List<Long> seen = new ArrayList<>();
		out1.events().forEach(e -> seen.add((Long) e.body().get("n")));
		out2.events().forEach(e -> seen.add((Long) e.body().get("n")));
		assertThat(seen).hasSize(16).doesNotHaveDuplicates();
	}

	private EmbeddedSluice node(int port) {
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05").service("grace", "1")
			.input("forward", "listen", "127.0.0.1", "port", String.valueOf(port))
			.output("lib", "match", "*")
			.build();
		this.closeables.add(s::close);
		s.start();
		return s;
	}
}
