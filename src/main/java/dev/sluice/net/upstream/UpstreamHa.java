package dev.sluice.net.upstream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sluice.config.ClassicConfigReader;
import dev.sluice.config.ConfigDocument;
import dev.sluice.config.ConfigProperty;
import dev.sluice.config.ConfigSection;

/**
 * Fluent Bit's upstream HA ({@code flb_upstream_ha}): a named list of nodes read from an upstream
 * file, handed out round-robin. The file is classic format:
 *
 * <pre>
 * [UPSTREAM]
 *     name  forward-balancing
 * [NODE]
 *     name  node-1
 *     host  127.0.0.1
 *     port  43000
 *     shared_key secret      # any other key is the node's own property
 *     tls   on               # tls, tls.* per node
 * </pre>
 *
 * Each node has its own {@link Upstream} (its own keep-alive pool) built from the output's
 * {@code net.*} settings and the node's own {@code tls*} keys. {@link #next()} rotates through the
 * nodes; a caller that cannot connect to a node moves on to the next one ({@link #nodes()} from
 * the index {@link #next()} returned), so a node that is down is skipped.
 */
public final class UpstreamHa implements AutoCloseable {

	/** One node: its name, its properties (lower-case keys) and its connection pool. */
	public record Node(String name, Map<String, String> properties, Upstream upstream) {

		/** A node property (lower-case key), or null. */
		public String property(String key) {
			return this.properties.get(key.toLowerCase(Locale.ROOT));
		}
	}

	private final String name;

	private final List<Node> nodes;

	private final AtomicInteger next = new AtomicInteger();

	public UpstreamHa(String name, List<Node> nodes) {
		if (nodes.isEmpty()) {
			throw new IllegalArgumentException("upstream '" + name + "' has no [NODE] sections");
		}
		this.name = name;
		this.nodes = List.copyOf(nodes);
	}

	/**
	 * Reads an upstream file ({@link ClassicConfigReader}) and builds one {@link Upstream} per node.
	 * @param net the output's network settings; a node's {@code tls}/{@code tls.*} keys replace
	 * the output's TLS settings for that node
	 * @param defaultPort the port of a node without {@code port}
	 * @throws IllegalArgumentException when the file is missing or malformed (no {@code [UPSTREAM]}
	 * name, a node without {@code host}, a bad port)
	 */
	public static UpstreamHa fromFile(Path file, NetSettings net, int defaultPort) throws IOException {
		if (!Files.isRegularFile(file)) {
			throw new IllegalArgumentException("cannot open upstream file " + file);
		}
		ConfigDocument doc = new ClassicConfigReader().read(file);
		List<ConfigSection> ups = doc.sections("upstream");
		if (ups.isEmpty()) {
			throw new IllegalArgumentException("upstream file " + file + " has no [UPSTREAM] section");
		}
		String upName = ups.get(0).get("name");
		if (upName == null || upName.isBlank()) {
			throw new IllegalArgumentException("[UPSTREAM] in " + file + " has no 'name'");
		}
		List<Node> nodes = new ArrayList<>();
		int seq = 0;
		for (ConfigSection s : doc.sections("node")) {
			Map<String, String> props = new LinkedHashMap<>();
			for (ConfigProperty p : s.properties()) {
				props.put(p.name(), p.value());
			}
			String nodeName = props.getOrDefault("name", upName + "." + seq);
			seq++;
			String host = props.get("host");
			if (host == null || host.isBlank()) {
				throw new IllegalArgumentException(s.origin() + ": [NODE] '" + nodeName + "' has no 'host'");
			}
			int port = defaultPort;
			if (props.get("port") != null) {
				try {
					port = Integer.parseInt(props.get("port").strip());
				}
				catch (NumberFormatException ex) {
					throw new IllegalArgumentException(s.origin() + ": [NODE] '" + nodeName + "': invalid port '"
							+ props.get("port") + "'");
				}
			}
			NetSettings nodeNet = net;
			if (props.keySet().stream().anyMatch((k) -> k.equals("tls") || k.startsWith("tls."))) {
				nodeNet = net.withTls(NetSettings.from(props, false).tls());
			}
			nodes.add(new Node(nodeName, Collections.unmodifiableMap(props), new Upstream(host.strip(), port, nodeNet)));
		}
		return new UpstreamHa(upName, nodes);
	}

	public String name() {
		return this.name;
	}

	public List<Node> nodes() {
		return this.nodes;
	}

	/** The index of the next node, round-robin ({@code flb_upstream_ha_node_get}). */
	public int next() {
		return Math.floorMod(this.next.getAndIncrement(), this.nodes.size());
	}

	/** The node at {@code index} modulo the number of nodes. */
	public Node node(int index) {
		return this.nodes.get(Math.floorMod(index, this.nodes.size()));
	}

	@Override
	public void close() {
		for (Node n : this.nodes) {
			n.upstream().close();
		}
	}
}
