package dev.sluice.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * An in-process Apache Kafka cluster for tests: one combined broker and controller node in KRaft
 * mode ({@code KafkaClusterTestKit}), started once per test class (it takes seconds).
 *
 * <p>With {@link #startProxied()} the broker advertises a TCP proxy on loopback in front of its
 * listener: every client connection (bootstrap and after) goes through the proxy, so
 * {@link #proxyDown()} makes the broker unreachable to clients (connections refused, open ones
 * cut) while it keeps running, and {@link #proxyUp()} brings it back on the same port.
 */
public final class KafkaTestCluster implements AutoCloseable {

	private final KafkaClusterTestKit kit;

	private final TcpProxy proxy;

	private final String bootstrap;

	private KafkaTestCluster(KafkaClusterTestKit kit, TcpProxy proxy) {
		this.kit = kit;
		this.proxy = proxy;
		this.bootstrap = (proxy != null) ? "127.0.0.1:" + proxy.port : kit.bootstrapServers();
	}

	public static KafkaTestCluster start() throws Exception {
		return start(false);
	}

	public static KafkaTestCluster startProxied() throws Exception {
		return start(true);
	}

	private static KafkaTestCluster start(boolean proxied) throws Exception {
		TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
			.setNumControllerNodes(1).build();
		KafkaClusterTestKit.Builder b = new KafkaClusterTestKit.Builder(nodes)
			.setConfigProp("offsets.topic.replication.factor", "1")
			.setConfigProp("offsets.topic.num.partitions", "1")
			.setConfigProp("transaction.state.log.replication.factor", "1")
			.setConfigProp("transaction.state.log.min.isr", "1")
			.setConfigProp("group.initial.rebalance.delay.ms", "0")
			.setConfigProp("num.partitions", "1");
		TcpProxy proxy = null;
		if (proxied) {
			proxy = new TcpProxy(Ports.free());
			b.setConfigProp("advertised.listeners",
					nodes.brokerListenerName().value() + "://127.0.0.1:" + proxy.port);
		}
		KafkaClusterTestKit kit = b.build();
		try {
			kit.format();
			kit.startup();
			kit.waitForReadyBrokers();
		}
		catch (Exception ex) {
			kit.close();
			throw ex;
		}
		if (proxy != null) {
			String real = kit.bootstrapServers();
			proxy.target = new InetSocketAddress("localhost", Integer.parseInt(real.substring(real.lastIndexOf(':') + 1)));
			proxy.up();
		}
		return new KafkaTestCluster(kit, proxy);
	}

	/** The bootstrap servers clients (and Sluice) use. */
	public String bootstrap() {
		return this.bootstrap;
	}

	public void createTopic(String name, int partitions) throws Exception {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", this.bootstrap))) {
			admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
		}
	}

	/** The committed offset of a group for one partition, or -1. */
	public long committed(String group, String topic, int partition) throws Exception {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", this.bootstrap))) {
			Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(group)
				.partitionsToOffsetAndMetadata()
				.get();
			OffsetAndMetadata o = m.get(new TopicPartition(topic, partition));
			return (o == null) ? -1 : o.offset();
		}
	}

	/** How many members of a consumer group have at least one partition assigned. */
	public int assignedMembers(String group) throws Exception {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", this.bootstrap))) {
			return (int) admin.describeConsumerGroups(List.of(group))
				.describedGroups()
				.get(group)
				.get()
				.members()
				.stream()
				.filter((m) -> !m.assignment().topicPartitions().isEmpty())
				.count();
		}
	}

	public KafkaProducer<String, String> producer() {
		Properties p = new Properties();
		p.put("bootstrap.servers", this.bootstrap);
		p.put("acks", "all");
		return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
	}

	/**
	 * Reads a topic from the beginning (a fresh group) until at least {@code expected} records
	 * came, then for as long as more keep coming within a short quiet period, so that duplicates
	 * beyond the expected count are seen too.
	 */
	public List<ConsumerRecord<byte[], byte[]>> read(String topic, int expected, Duration deadline) {
		Properties p = new Properties();
		p.put("bootstrap.servers", this.bootstrap);
		p.put("group.id", "reader-" + UUID.randomUUID());
		p.put("auto.offset.reset", "earliest");
		p.put("enable.auto.commit", "false");
		List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
		try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
				new ByteArrayDeserializer())) {
			c.subscribe(List.of(topic));
			long end = System.nanoTime() + deadline.toNanos();
			while (out.size() < expected && System.nanoTime() < end) {
				c.poll(Duration.ofMillis(200)).forEach(out::add);
			}
			if (out.size() < expected) {
				throw new AssertionError("only " + out.size() + " of " + expected + " records arrived in topic "
						+ topic + " within " + deadline);
			}
			// the end offsets tell whether anything else is there: read up to them
			Map<TopicPartition, Long> ends = c.endOffsets(c.assignment());
			while (!caughtUp(c, ends) && System.nanoTime() < end) {
				c.poll(Duration.ofMillis(200)).forEach(out::add);
			}
		}
		return out;
	}

	private static boolean caughtUp(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> ends) {
		for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
			if (c.position(e.getKey()) < e.getValue()) {
				return false;
			}
		}
		return true;
	}

	/** The broker becomes unreachable for clients: the proxy stops listening and cuts connections. */
	public void proxyDown() throws IOException {
		this.proxy.down();
	}

	public void proxyUp() throws IOException {
		this.proxy.up();
	}

	@Override
	public void close() throws Exception {
		if (this.proxy != null) {
			this.proxy.down();
		}
		this.kit.close();
	}

	/** A plain TCP forwarder on loopback that can be taken down and brought back on its port. */
	static final class TcpProxy {

		final int port;

		volatile InetSocketAddress target;

		private ServerSocket server;

		private final Set<Socket> open = ConcurrentHashMap.newKeySet();

		TcpProxy(int port) {
			this.port = port;
		}

		synchronized void up() throws IOException {
			if (this.server != null) {
				return;
			}
			ServerSocket s = new ServerSocket();
			s.setReuseAddress(true);
			s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port));
			this.server = s;
			Thread.ofVirtual().name("kafka-test-proxy").start(() -> accept(s));
		}

		synchronized void down() throws IOException {
			if (this.server != null) {
				this.server.close();
				this.server = null;
			}
			for (Socket s : this.open) {
				try {
					s.close();
				}
				catch (IOException ex) {
					// closing anyway
				}
			}
			this.open.clear();
		}

		private void accept(ServerSocket s) {
			while (!s.isClosed()) {
				Socket client;
				try {
					client = s.accept();
				}
				catch (IOException ex) {
					return;
				}
				Socket upstream = new Socket();
				try {
					upstream.connect(this.target, 5000);
				}
				catch (IOException ex) {
					close(client);
					continue;
				}
				this.open.add(client);
				this.open.add(upstream);
				Thread.ofVirtual().start(() -> pump(client, upstream));
				Thread.ofVirtual().start(() -> pump(upstream, client));
			}
		}

		private void pump(Socket from, Socket to) {
			byte[] buf = new byte[16384];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int n;
				while ((n = in.read(buf)) >= 0) {
					out.write(buf, 0, n);
					out.flush();
				}
			}
			catch (IOException ex) {
				// connection cut
			}
			finally {
				close(from);
				close(to);
				this.open.remove(from);
				this.open.remove(to);
			}
		}

		private static void close(Socket s) {
			try {
				s.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
	}
}
