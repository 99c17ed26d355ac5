package dev.sluice.plugins.filter.kubernetes;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.slf4j.Logger;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventTime;
import dev.sluice.event.MsgpackValues;
import dev.sluice.net.kubernetes.KubeApiClient;
import dev.sluice.parser.EventSlices;
import dev.sluice.parser.JsonToMsgpack;
import dev.sluice.parser.MapSlices;
import dev.sluice.parser.MsgpackWriter;
import dev.sluice.parser.ParseResult;
import dev.sluice.parser.Parser;
import dev.sluice.parser.ParserDefinition;
import dev.sluice.parser.ParserRegistry;
import dev.sluice.parser.Regex;
import dev.sluice.plugin.FilterContext;
import dev.sluice.plugin.FilterPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * The {@code kubernetes} filter (Fluent Bit's {@code filter_kubernetes}): reads namespace, pod,
 * container and docker id from the tag (after {@code kube_tag_prefix}) with the default regex or
 * {@code regex_parser}, fetches the pod from the API server
 * ({@code /api/v1/namespaces/<ns>/pods/<pod>}) or the kubelet ({@code /pods}), and appends a
 * {@code kubernetes} map to every record: {@code pod_name}, {@code namespace_name},
 * {@code pod_id}, {@code labels}, {@code annotations}, ({@code ownerReferences}), {@code host},
 * {@code pod_ip}, {@code container_name}, {@code docker_id}, {@code container_hash},
 * {@code container_image}, in that order. With {@code namespace_labels}/{@code namespace_annotations}
 * a {@code kubernetes_namespace} map follows. {@code merge_log} parses the {@code log} string
 * (JSON, {@code merge_parser}, or the parser a pod proposes with a {@code fluentbit.io/parser*}
 * annotation) into the record or under {@code merge_log_key}; {@code fluentbit.io/exclude*}
 * annotations drop a pod's records (with {@code k8s-logging.*} on).
 *
 * <p>Metadata is cached: the API is asked once per pod (per docker id with
 * {@code cache_use_docker_id}), entries expire after {@code kube_meta_cache_ttl} (never when 0),
 * failed lookups are remembered for {@code kube_meta_negative_cache_ttl}. The filter runs on the
 * appending input's thread and blocks on a pod's first lookup, as Fluent Bit does; later records
 * of the tag take a lock-free map lookup. A pod whose API response is larger than
 * {@code buffer_size} is logged as a warning naming the pod; its records pass on without
 * metadata.
 */
@Plugin(kind = PluginKind.FILTER, name = "kubernetes", description = "Filter to append Kubernetes metadata",
		config = KubernetesFilterConfig.class)
public final class KubernetesFilter implements FilterPlugin<KubernetesFilterConfig> {

	/** Fluent Bit's {@code KUBE_TAG_TO_REGEX}. */
	static final String TAG_REGEX = "(?<pod_name>[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*)_(?<namespace_name>[^_]+)_(?<container_name>.+)-(?<docker_id>[a-z0-9]{64})\\.log$";

	/** Fluent Bit's {@code KUBE_JOURNAL_TO_REGEX}. */
	static final String JOURNAL_REGEX = "^(?<name_prefix>[^_]+)_(?<container_name>[^\\._]+)(\\.(?<container_hash>[^_]+))?_(?<pod_name>[^_]+)_(?<namespace_name>[^_]+)_[^_]+_[^_]+$";

	private static final int CACHE_SIZE = 1024;

	private static final byte[] LOG = "log".getBytes(StandardCharsets.UTF_8);

	private static final byte[] STREAM = "stream".getBytes(StandardCharsets.UTF_8);

	private static final byte[] STDOUT = "stdout".getBytes(StandardCharsets.UTF_8);

	private static final byte[] STDERR = "stderr".getBytes(StandardCharsets.UTF_8);

	private static final byte[] CONTAINER_NAME = "CONTAINER_NAME".getBytes(StandardCharsets.UTF_8);

	private static final ThreadLocal<JsonToMsgpack> JSON = ThreadLocal.withInitial(JsonToMsgpack::new);

	static final int UNDEF = 0;

	static final int FALSE = 1;

	static final int TRUE = 2;

	private static final int NO_STREAM = 0;

	private static final int STREAM_STDOUT = 1;

	private static final int STREAM_STDERR = 2;

	private static final int STREAM_UNKNOWN = 3;

	private static final int MERGE_UNSET = -1;

	private static final int MERGE_NONE = 0;

	private static final int MERGE_PARSED = 1;

	private static final int MERGE_MAP = 2;

	/** Configuration proposed through annotations, resolved once per cached pod. */
	static final class Props {

		static final Props EMPTY = new Props();

		Parser stdoutParser;

		Parser stderrParser;

		int stdoutExclude = UNDEF;

		int stderrExclude = UNDEF;
	}

	/** What the tag (or journal CONTAINER_NAME) says. */
	static final class Meta {

		String podName;

		String namespace;

		String containerName;

		String dockerId;

		String containerHash;

		String containerImage;
	}

	/**
	 * The metadata for one tag: the packed {@code kubernetes} and {@code kubernetes_namespace}
	 * maps (null when unknown), the annotation properties, and when it expires
	 * ({@code System.nanoTime()} based; 0 never). {@code untouched}: the tag does not match, records pass as they are.
	 */
	record Entry(byte[] kube, byte[] namespace, Props props, Props namespaceProps, long expiresAt, boolean untouched) {

		boolean fresh(long now) {
			return this.expiresAt == 0 || now - this.expiresAt < 0;
		}
	}

	private static final Entry UNTOUCHED = new Entry(null, null, Props.EMPTY, Props.EMPTY, 0, true);

	/** A fetched API object (pod or namespace) or a remembered failure. */
	private static final class Fetched {

		Map<String, Object> object;

		boolean done;

		long expiresAt;
	}

	private KubernetesFilterConfig config;

	private Logger log;

	private ParserRegistry parsers;

	private Regex regex;

	private Parser mergeParser;

	private KubeApiClient api;

	private KubeApiClient kubelet;

	private final ConcurrentHashMap<String, Entry> byTag = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, Fetched> pods = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, Fetched> namespaces = new ConcurrentHashMap<>();

	/** API (or kubelet) requests made, for tests and metrics. */
	final LongAdder apiRequests = new LongAdder();

	@Override
	public void init(KubernetesFilterConfig c, FilterContext context) throws Exception {
		this.config = c;
		this.log = context.log();
		this.parsers = context.parsers();
		if (c.kubeTagPrefix == null) {
			c.kubeTagPrefix = "";
		}
		if (c.mergeParser != null) {
			this.mergeParser = this.parsers.parser(c.mergeParser);
			if (this.mergeParser == null) {
				this.log.error("parser '{}' is not registered", c.mergeParser);
			}
		}
		if (c.regexParser != null) {
			Parser p = this.parsers.parser(c.regexParser);
			if (p == null) {
				throw new IllegalArgumentException("invalid parser '" + c.regexParser + "'");
			}
			if (p.definition().format() != ParserDefinition.Format.REGEX) {
				throw new IllegalArgumentException("invalid parser type '" + c.regexParser + "'");
			}
			this.regex = Regex.compile(p.definition().regex());
		}
		else {
			this.regex = Regex.compile(c.useJournal ? JOURNAL_REGEX : TAG_REGEX);
		}
		if (c.awsUsePodAssociation || c.usePodAssociation) {
			this.log.warn("AWS pod association (aws_use_pod_association) is not supported by Sluice; ignored");
		}
		KubeApiClient.Settings apiSettings = null;
		if (!c.useTagForMeta) {
			Object[] url = KubeApiClient.parseUrl(c.kubeUrl, 443);
			if (url == null) {
				throw new IllegalArgumentException("invalid kube_url '" + c.kubeUrl + "': expected http:// or https://");
			}
			apiSettings = new KubeApiClient.Settings((Boolean) url[0], (String) url[1], (Integer) url[2], c.tlsVerify,
					c.tlsVerifyHostname, c.tlsVhost, c.kubeCaFile, c.kubeCaPath, c.kubeTokenFile, c.kubeTokenCommand,
					c.kubeTokenTtl, c.kubeMetaIoTimeout);
			this.log.info("https={} host={} port={}", apiSettings.https() ? 1 : 0, apiSettings.host(), apiSettings.port());
		}
		if (c.dummyMeta) {
			this.log.warn("using Dummy Metadata");
			return;
		}
		if (c.useTagForMeta) {
			this.log.info("no network access required (OK)");
			return;
		}
		try {
			this.api = new KubeApiClient(apiSettings, this.log);
		}
		catch (IOException ex) {
			this.log.error("cannot set up the connection to the API server {}: {}; records will carry no pod metadata",
					c.kubeUrl, ex.getMessage());
		}
		if (c.useKubelet) {
			boolean https = c.kubeMetaPreloadCacheDir == null;
			try {
				this.kubelet = new KubeApiClient(new KubeApiClient.Settings(https, c.kubeletHost, c.kubeletPort,
						c.tlsVerify, c.tlsVerifyHostname, c.tlsVhost, c.kubeCaFile, c.kubeCaPath, c.kubeTokenFile,
						c.kubeTokenCommand, c.kubeTokenTtl, c.kubeMetaIoTimeout), this.log);
			}
			catch (IOException ex) {
				this.log.error("cannot set up the connection to the kubelet {}:{}: {}", c.kubeletHost, c.kubeletPort,
						ex.getMessage());
			}
		}
		localPodCheck();
	}

	/** Fluent Bit's start-up check when running inside a pod: DNS, then the own pod's metadata. */
	private void localPodCheck() {
		KubernetesFilterConfig c = this.config;
		String ns;
		try {
			ns = Files.readString(Path.of(c.kubeNamespaceFile)).strip();
		}
		catch (IOException | RuntimeException ex) {
			this.log.warn("cannot open {}", c.kubeNamespaceFile);
			this.log.info("Fluent Bit not running in a POD");
			return;
		}
		String pod = System.getenv("HOSTNAME");
		if (pod == null || pod.isEmpty()) {
			try {
				pod = InetAddress.getLocalHost().getHostName();
			}
			catch (UnknownHostException ex) {
				pod = "";
			}
		}
		this.log.info("local POD info OK");
		if (this.api != null && !waitForDns(this.api)) {
			this.log.warn("could not resolve {}", this.api.base());
			return;
		}
		this.log.info(c.useKubelet ? "testing connectivity with Kubelet..." : "testing connectivity with API server...");
		Meta m = new Meta();
		m.namespace = ns;
		m.podName = pod;
		if (fetchPod(m) == null) {
			this.log.warn("could not get meta for POD {}", pod);
			return;
		}
		if (c.namespaceLabels || c.namespaceAnnotations) {
			this.log.info("testing connectivity with API server for namespaces...");
			if (fetchNamespace(ns) == null) {
				this.log.warn("could not get meta for namespace {}", ns);
				return;
			}
		}
		this.log.info("connectivity OK");
	}

	private boolean waitForDns(KubeApiClient client) {
		String host = this.config.kubeUrl.replaceFirst("^https?://", "").replaceFirst("[:/].*$", "");
		for (int i = 0; i < this.config.dnsRetries; i++) {
			try {
				InetAddress.getAllByName(host);
				return true;
			}
			catch (UnknownHostException ex) {
				this.log.info("host: {} Wait {} secs until DNS starts up ({}/{})", host,
						this.config.dnsWaitTime.toSeconds(), i + 1, this.config.dnsRetries);
				try {
					Thread.sleep(this.config.dnsWaitTime.toMillis());
				}
				catch (InterruptedException ie) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
		}
		return this.config.dnsRetries <= 0;
	}

	// ------------------------------------------------------------------ filter

	@Override
	public EventBytes filter(EventBytes events, String tag, FilterContext context) {
		KubernetesFilterConfig c = this.config;
		Entry entry = null;
		if (c.dummyMeta) {
			entry = new Entry(dummyMeta(), null, Props.EMPTY, Props.EMPTY, 0, false);
		}
		else if (!c.useJournal) {
			entry = lookupTag(tag);
			if (entry.untouched) {
				return null;
			}
		}
		MsgpackWriter w = new MsgpackWriter(events.length() + 512);
		int[] count = { 0 };
		final Entry fixed = entry;
		boolean ok = EventSlices.forEach(events, (e) -> {
			if (e.time.seconds() < 0) {
				w.writeRaw(e.data, e.start, e.end - e.start);
				count[0]++;
				return;
			}
			Entry en = fixed;
			if (en == null) {
				en = lookupJournal(e);
				if (en == null || en.untouched) {
					// Fluent Bit skips (drops) journal records whose metadata cannot be read
					return;
				}
			}
			if (process(en, e, w)) {
				count[0]++;
			}
		});
		if (!ok) {
			this.log.warn("malformed events on tag '{}', passed on unchanged", tag);
			return null;
		}
		byte[] out = w.toByteArray();
		return new EventBytes(out, 0, out.length, count[0]);
	}

	/** Rewrites one event; false when it is excluded. */
	private boolean process(Entry en, EventSlices.Event e, MsgpackWriter w) {
		KubernetesFilterConfig c = this.config;
		MapSlices body = e.bodyIsMap ? MapSlices.scan(e.data, e.bodyStart, e.bodyEnd - e.bodyStart) : null;
		if (body == null) {
			w.writeRaw(e.data, e.start, e.end - e.start);
			return true;
		}
		Props p = en.props;
		Props np = en.namespaceProps;
		Parser parser = null;
		switch (stream(body)) {
			case STREAM_STDOUT -> {
				if (exclude(p.stdoutExclude, np.stdoutExclude)) {
					return false;
				}
				parser = p.stdoutParser;
			}
			case STREAM_STDERR -> {
				if (exclude(p.stderrExclude, np.stderrExclude)) {
					return false;
				}
				parser = p.stderrParser;
			}
			default -> {
				if (exclude(p.stdoutExclude, np.stdoutExclude) && exclude(p.stderrExclude, np.stderrExclude)) {
					return false;
				}
				// Fluent Bit means "the same parser for both streams" (it compares two pointers
				// that never match); the intent is applied here.
				if (p.stdoutParser != null && p.stdoutParser == p.stderrParser) {
					parser = p.stdoutParser;
				}
			}
		}

		int logIndex = c.mergeLog ? body.find(LOG) : -1;
		int status = MERGE_UNSET;
		byte[] parsedMap = null;
		EventTime logTime = null;
		if (logIndex >= 0) {
			int vs = body.valueStart(logIndex);
			int first = e.data[vs] & 0xFF;
			if ((first & 0xF0) == 0x80 || first == 0xde || first == 0xdf) {
				status = MERGE_MAP;
			}
			else if (body.valueIsString(logIndex)) {
				int ps = body.valuePayloadStart(logIndex);
				int len = body.valuePayloadEnd(logIndex) - ps;
				Parser use = (parser != null) ? parser : this.mergeParser;
				if (use != null) {
					ParseResult r = use.parse(e.data, ps, len);
					if (r != null) {
						status = MERGE_PARSED;
						parsedMap = r.map();
						EventTime t = r.time();
						logTime = (t == null || (t.seconds() == 0 && t.nanos() == 0)) ? EventTime.now() : t;
					}
					else {
						status = MERGE_NONE;
					}
				}
				else {
					MsgpackWriter jw = new MsgpackWriter(len + 16);
					if (JSON.get().convert(e.data, ps, len, jw) == JsonToMsgpack.Result.OBJECT) {
						status = MERGE_PARSED;
						parsedMap = jw.toByteArray();
					}
					else {
						status = MERGE_NONE;
					}
				}
			}
		}

		EventTime time = (status == MERGE_PARSED && logTime != null) ? logTime : e.time;
		MapSlices merged = null;
		if (status == MERGE_PARSED) {
			merged = MapSlices.scan(parsedMap, 0, parsedMap.length);
		}
		else if (status == MERGE_MAP) {
			merged = MapSlices.scan(e.data, body.valueStart(logIndex), body.entryEnd(logIndex) - body.valueStart(logIndex));
		}
		int mergedCount = (merged != null) ? merged.size() : 0;
		boolean keepLogEntry = c.keepLog || status == MERGE_NONE;

		int n = 0;
		for (int i = 0; i < body.size(); i++) {
			if (i != logIndex || keepLogEntry) {
				n++;
			}
		}
		boolean underKey = c.mergeLogKey != null && mergedCount > 0;
		n += underKey ? 1 : mergedCount;
		if (en.kube != null) {
			n++;
		}
		if (en.namespace != null) {
			n++;
		}

		EventSlices.writeHeader(w, time, e);
		w.mapHeader(n);
		for (int i = 0; i < body.size(); i++) {
			if (i != logIndex || keepLogEntry) {
				w.writeRaw(e.data, body.entryStart(i), body.entryEnd(i) - body.entryStart(i));
			}
		}
		if (merged != null && mergedCount > 0) {
			if (underKey) {
				w.str(c.mergeLogKey);
				w.mapHeader(mergedCount);
			}
			byte[] md = merged.data();
			for (int i = 0; i < mergedCount; i++) {
				int es = merged.entryStart(i);
				int vs = merged.valueStart(i);
				if (status == MERGE_PARSED && c.mergeLogTrim && merged.valueIsString(i) && isStr(md[vs])) {
					w.writeRaw(md, es, vs - es);
					int ps = merged.valuePayloadStart(i);
					w.str(md, ps, trimSize(md, ps, merged.valuePayloadEnd(i) - ps));
				}
				else {
					w.writeRaw(md, es, merged.entryEnd(i) - es);
				}
			}
		}
		if (en.kube != null) {
			w.str("kubernetes");
			w.writeRaw(en.kube);
		}
		if (en.namespace != null) {
			w.str("kubernetes_namespace");
			w.writeRaw(en.namespace);
		}
		return true;
	}

	private static boolean isStr(byte b) {
		int f = b & 0xFF;
		return (f & 0xE0) == 0xA0 || f == 0xd9 || f == 0xda || f == 0xdb;
	}

	/** Fluent Bit's {@code value_trim_size}: drops trailing newlines and escaped {@code \n}/{@code \r}. */
	static int trimSize(byte[] b, int off, int len) {
		int size = len;
		for (int i = size - 1; i > 0; i--) {
			if (b[off + i] == '\n') {
				size -= 1;
				continue;
			}
			if (b[off + i - 1] == '\\' && (b[off + i] == 'n' || b[off + i] == 'r')) {
				size -= 2;
				i--;
			}
			else {
				break;
			}
		}
		return size;
	}

	private static boolean exclude(int pod, int namespace) {
		if (pod != UNDEF) {
			return pod == TRUE;
		}
		return namespace == TRUE;
	}

	private static int stream(MapSlices body) {
		int i = body.find(STREAM);
		if (i < 0) {
			return NO_STREAM;
		}
		if (!body.valueIsString(i)) {
			return STREAM_UNKNOWN;
		}
		int s = body.valuePayloadStart(i);
		int e = body.valuePayloadEnd(i);
		byte[] d = body.data();
		if (java.util.Arrays.equals(d, s, e, STDOUT, 0, STDOUT.length)) {
			return STREAM_STDOUT;
		}
		if (java.util.Arrays.equals(d, s, e, STDERR, 0, STDERR.length)) {
			return STREAM_STDERR;
		}
		return STREAM_UNKNOWN;
	}

	// ------------------------------------------------------------------ metadata

	/** The hit path: one map lookup and a clock read. */
	Entry lookupTag(String tag) {
		Entry e = this.byTag.get(tag);
		if (e != null && e.fresh(System.nanoTime())) {
			return e;
		}
		KubernetesFilterConfig c = this.config;
		int prefix = c.kubeTagPrefix.length();
		if (prefix + 1 >= tag.length()) {
			this.log.error("incoming record tag ({}) is shorter than kube_tag_prefix value ({}), skip filter", tag,
					c.kubeTagPrefix);
			return UNTOUCHED;
		}
		Meta m = extract(tag.substring(prefix));
		if (m == null) {
			this.log.warn("invalid pattern for given tag {}", tag);
			put(this.byTag, tag, UNTOUCHED);
			return UNTOUCHED;
		}
		e = build(m);
		put(this.byTag, tag, e);
		return e;
	}

	private Entry lookupJournal(EventSlices.Event ev) {
		MapSlices body = ev.bodyIsMap ? MapSlices.scan(ev.data, ev.bodyStart, ev.bodyEnd - ev.bodyStart) : null;
		int i = (body != null) ? body.find(CONTAINER_NAME) : -1;
		if (i < 0 || !body.valueIsString(i)) {
			return null;
		}
		int s = body.valuePayloadStart(i);
		String name = new String(ev.data, s, body.valuePayloadEnd(i) - s, StandardCharsets.UTF_8);
		String key = "\u0000journal\u0000" + name;
		Entry e = this.byTag.get(key);
		if (e != null && e.fresh(System.nanoTime())) {
			return e;
		}
		Meta m = extract(name);
		if (m == null) {
			this.log.warn("invalid pattern for given tag {}", name);
			put(this.byTag, key, UNTOUCHED);
			return UNTOUCHED;
		}
		e = build(m);
		put(this.byTag, key, e);
		return e;
	}

	/** Applies the tag regex; null when it does not match. */
	Meta extract(String text) {
		byte[] b = text.getBytes(StandardCharsets.UTF_8);
		Regex.Match match = this.regex.search(b, 0, b.length);
		if (match == null) {
			return null;
		}
		Meta m = new Meta();
		this.regex.forEachNamed(match, (name, s, e) -> {
			if (s < 0 || e <= s) {
				return;
			}
			String v = new String(b, s, e - s, StandardCharsets.UTF_8);
			switch (name) {
				case "pod_name" -> {
					if (m.podName == null) {
						m.podName = v;
					}
				}
				case "namespace_name" -> {
					if (m.namespace == null) {
						m.namespace = v;
					}
				}
				case "container_name" -> {
					if (m.containerName == null) {
						m.containerName = v;
					}
				}
				case "docker_id" -> {
					if (m.dockerId == null) {
						m.dockerId = v;
					}
				}
				case "container_hash" -> {
					if (m.containerHash == null) {
						m.containerHash = v;
					}
				}
				default -> {
				}
			}
		});
		return m;
	}

	/** Builds the cache entry of one pod/container: fetches and merges. */
	private Entry build(Meta m) {
		KubernetesFilterConfig c = this.config;
		long now = System.nanoTime();
		long expires = 0;
		byte[] kube = null;
		Props props = Props.EMPTY;
		if (!c.namespaceMetadataOnly) {
			if (c.useTagForMeta) {
				Map<String, Object> k = new LinkedHashMap<>();
				putIf(k, "pod_name", m.podName);
				putIf(k, "namespace_name", m.namespace);
				putIf(k, "container_name", m.containerName);
				putIf(k, "docker_id", m.dockerId);
				kube = pack(k);
			}
			else if (m.podName != null && m.namespace != null) {
				Fetched f = fetchPodCached(m);
				expires = f.expiresAt;
				if (f.object != null) {
					props = new Props();
					kube = pack(mergePod(m, f.object, props));
				}
			}
		}
		byte[] ns = null;
		Props nsProps = Props.EMPTY;
		if ((c.namespaceLabels || c.namespaceAnnotations || c.namespaceExclude) && m.namespace != null) {
			Fetched f = fetchNamespaceCached(m.namespace);
			if (f.expiresAt != 0 && (expires == 0 || f.expiresAt - expires < 0)) {
				expires = f.expiresAt;
			}
			if (f.object != null) {
				if (c.namespaceLabels || c.namespaceAnnotations) {
					ns = pack(mergeNamespace(m, f.object));
				}
				if (c.namespaceExclude) {
					nsProps = namespaceProps(m, f.object);
				}
			}
		}
		if (expires != 0 && expires - now <= 0) {
			expires = now;
		}
		if (c.namespaceMetadataOnly && !(c.namespaceLabels || c.namespaceAnnotations || c.namespaceExclude)) {
			return UNTOUCHED;
		}
		return new Entry(kube, ns, props, nsProps, expires, false);
	}

	private static void putIf(Map<String, Object> m, String k, Object v) {
		if (v != null) {
			m.put(k, v);
		}
	}

	private Fetched fetchPodCached(Meta m) {
		KubernetesFilterConfig c = this.config;
		String key = m.namespace + ":" + m.podName
				+ ((c.cacheUseDockerId && m.dockerId != null) ? ":" + m.dockerId : "");
		Fetched f = this.pods.computeIfAbsent(key, k -> new Fetched());
		synchronized (f) {
			long now = System.nanoTime();
			if (f.done && (f.expiresAt == 0 || now - f.expiresAt < 0)) {
				return f;
			}
			Map<String, Object> obj = fetchPod(m);
			f.object = obj;
			f.done = true;
			Duration ttl = (obj != null) ? c.kubeMetaCacheTtl : c.kubeMetaNegativeCacheTtl;
			f.expiresAt = (ttl == null || ttl.isZero()) ? (obj != null ? 0 : System.nanoTime())
					: Math.max(1, System.nanoTime() + ttl.toNanos());
		}
		trim(this.pods);
		return f;
	}

	private Fetched fetchNamespaceCached(String namespace) {
		KubernetesFilterConfig c = this.config;
		Fetched f = this.namespaces.computeIfAbsent(namespace, k -> new Fetched());
		synchronized (f) {
			long now = System.nanoTime();
			if (f.done && (f.expiresAt == 0 || now - f.expiresAt < 0)) {
				return f;
			}
			Map<String, Object> obj = fetchNamespace(namespace);
			f.object = obj;
			f.done = true;
			Duration ttl = (obj != null) ? c.kubeMetaNamespaceCacheTtl : c.kubeMetaNegativeCacheTtl;
			f.expiresAt = (ttl == null || ttl.isZero()) ? (obj != null ? 0 : System.nanoTime())
					: Math.max(1, System.nanoTime() + ttl.toNanos());
		}
		trim(this.namespaces);
		return f;
	}

	private static <V> void put(ConcurrentHashMap<String, V> map, String key, V value) {
		map.put(key, value);
		trim(map);
	}

	/** Keeps a cache at {@value #CACHE_SIZE} entries, evicting arbitrary ones (Fluent Bit evicts at random). */
	private static <V> void trim(ConcurrentHashMap<String, V> map) {
		if (map.size() <= CACHE_SIZE) {
			return;
		}
		Iterator<String> it = map.keySet().iterator();
		while (map.size() > CACHE_SIZE && it.hasNext()) {
			it.next();
			it.remove();
		}
	}

	/** The pod object: the preload file, else the kubelet's pod list, else the API server. */
	Map<String, Object> fetchPod(Meta m) {
		KubernetesFilterConfig c = this.config;
		Map<String, Object> fromFile = preload(m.namespace + "_" + m.podName + ".meta");
		if (fromFile != null) {
			return fromFile;
		}
		String what = "pod " + m.namespace + "/" + m.podName;
		if (c.useKubelet) {
			return request(this.kubelet, "/pods", what, "kubelet");
		}
		return request(this.api, "/api/v1/namespaces/" + m.namespace + "/pods/" + m.podName, what, "kube api");
	}

	Map<String, Object> fetchNamespace(String namespace) {
		Map<String, Object> fromFile = preload(namespace + ".namespace_meta");
		if (fromFile != null) {
			return fromFile;
		}
		return request(this.api, "/api/v1/namespaces/" + namespace, "namespace " + namespace, "kube api");
	}

	private Map<String, Object> preload(String file) {
		String dir = this.config.kubeMetaPreloadCacheDir;
		if (dir == null) {
			return null;
		}
		Path p = Path.of(dir, file);
		try {
			byte[] b = Files.readAllBytes(p);
			return (b.length > 0) ? json(b) : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	private Map<String, Object> request(KubeApiClient client, String path, String what, String upstream) {
		if (client == null) {
			return null;
		}
		this.apiRequests.increment();
		KubeApiClient.Response r;
		try {
			r = client.get(path, this.config.bufferSize);
		}
		catch (IOException ex) {
			this.log.error("{} upstream connection error ({}): {}", upstream, what, String.valueOf(ex.getMessage()));
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		if (r.truncated()) {
			this.log.warn("metadata of {} from {} is larger than buffer_size ({} bytes{}): its records are passed on "
					+ "without Kubernetes metadata; raise buffer_size (0 = no limit)", what, client.base() + path,
					this.config.bufferSize, (r.contentLength() >= 0) ? ", response is " + r.contentLength() + " bytes" : "");
			return null;
		}
		this.log.debug("Request ({}) HTTP Status: {}", what, r.status());
		if (r.status() != 200) {
			if (r.body().length > 0) {
				this.log.debug("HTTP response\n{}", new String(r.body(), StandardCharsets.UTF_8));
			}
			this.log.warn("could not get metadata of {}: HTTP status {}", what, r.status());
			return null;
		}
		Map<String, Object> obj = json(r.body());
		if (obj == null) {
			this.log.warn("could not get metadata of {}: the response is not a JSON object", what);
		}
		return obj;
	}

	/** Parses a JSON object into ordered maps; null when it is not one. */
	static Map<String, Object> json(byte[] b) {
		MsgpackWriter w = new MsgpackWriter(b.length + 64);
		if (new JsonToMsgpack().convert(b, 0, b.length, w) != JsonToMsgpack.Result.OBJECT) {
			return null;
		}
		byte[] mp = w.toByteArray();
		try (MessageUnpacker u = MessagePack.newDefaultUnpacker(mp)) {
			@SuppressWarnings("unchecked")
			Map<String, Object> m = (Map<String, Object>) MsgpackValues.unpack(u);
			return m;
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	private static byte[] pack(Map<String, Object> m) {
		try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
			MsgpackValues.pack(p, m);
			return p.toByteArray();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object o) {
		return (o instanceof Map<?, ?> m) ? (Map<String, Object>) m : null;
	}

	/** Fluent Bit's {@code merge_pod_meta}: the {@code kubernetes} map, in its key order. */
	Map<String, Object> mergePod(Meta m, Map<String, Object> api, Props props) {
		KubernetesFilterConfig c = this.config;
		Map<String, Object> root = api;
		boolean found = true;
		if (c.useKubelet) {
			root = findItem(m, api);
			found = root != null;
		}
		Map<String, Object> meta = found ? map(root.get("metadata")) : null;
		Map<String, Object> spec = found ? map(root.get("spec")) : null;
		Map<String, Object> status = found ? map(root.get("status")) : null;
		Meta r = new Meta();
		r.podName = m.podName;
		r.namespace = m.namespace;
		r.containerName = m.containerName;
		r.dockerId = m.dockerId;
		r.containerHash = m.containerHash;
		if (status != null && (r.containerHash == null || r.dockerId == null || r.containerImage == null)) {
			containerStatus(r, status);
		}
		Map<String, Object> k = new LinkedHashMap<>();
		putIf(k, "pod_name", r.podName);
		putIf(k, "namespace_name", r.namespace);
		if (meta != null) {
			if (meta.containsKey("uid")) {
				k.put("pod_id", meta.get("uid"));
			}
			if (c.labels && meta.containsKey("labels")) {
				k.put("labels", meta.get("labels"));
			}
			if (c.annotations && meta.containsKey("annotations")) {
				k.put("annotations", meta.get("annotations"));
			}
			if (c.ownerReferences && meta.containsKey("ownerReferences")) {
				k.put("ownerReferences", meta.get("ownerReferences"));
			}
		}
		if (spec != null && spec.containsKey("nodeName")) {
			k.put("host", spec.get("nodeName"));
		}
		if (status != null && status.containsKey("podIP")) {
			k.put("pod_ip", status.get("podIP"));
		}
		putIf(k, "container_name", r.containerName);
		putIf(k, "docker_id", r.dockerId);
		putIf(k, "container_hash", r.containerHash);
		putIf(k, "container_image", r.containerImage);
		Map<String, Object> ann = (meta != null) ? map(meta.get("annotations")) : null;
		if (ann != null) {
			for (Map.Entry<String, Object> a : ann.entrySet()) {
				String key = a.getKey();
				if (key.length() > 13 && key.startsWith("fluentbit.io/") && a.getValue() instanceof String v) {
					setProp(m, key.substring(13), v, props, false);
				}
			}
		}
		return k;
	}

	private static Map<String, Object> findItem(Meta m, Map<String, Object> list) {
		if (!(list.get("items") instanceof List<?> items)) {
			return null;
		}
		for (Object o : items) {
			Map<String, Object> item = map(o);
			Map<String, Object> meta = (item != null) ? map(item.get("metadata")) : null;
			if (meta != null && m.podName.equals(meta.get("name")) && m.namespace.equals(meta.get("namespace"))) {
				return item;
			}
		}
		return null;
	}

	/**
	 * {@code status.containerStatuses}/{@code initContainerStatuses}: docker id, image hash and
	 * image of the entry named like the container (Fluent Bit's {@code extract_container_hash}).
	 */
	private static void containerStatus(Meta r, Map<String, Object> status) {
		String dockerId = null;
		String hash = null;
		String image = null;
		for (Map.Entry<String, Object> s : status.entrySet()) {
			if (r.dockerId != null && r.containerHash != null && r.containerImage != null) {
				return;
			}
			if (!s.getKey().equals("containerStatuses") && !s.getKey().equals("initContainerStatuses")) {
				continue;
			}
			if (!(s.getValue() instanceof List<?> list)) {
				continue;
			}
			for (Object o : list) {
				Map<String, Object> item = map(o);
				if (item == null) {
					continue;
				}
				boolean named = false;
				for (Map.Entry<String, Object> f : item.entrySet()) {
					String v = (f.getValue() instanceof String str) ? str : null;
					switch (f.getKey()) {
						case "name" -> {
							if (v != null && v.equals(r.containerName)) {
								named = true;
							}
						}
						case "containerID" -> {
							String h = (v != null) ? extractHash(v) : null;
							if (h != null) {
								dockerId = h;
							}
						}
						case "imageID" -> {
							String h = (v != null) ? extractHash(v) : null;
							if (h != null) {
								hash = h;
							}
						}
						case "image" -> {
							if (v != null) {
								image = v;
							}
						}
						default -> {
						}
					}
					if (f.getKey().equals("name") && !named) {
						break;
					}
				}
				if (named) {
					if (hash != null && r.containerHash == null) {
						r.containerHash = hash;
					}
					if (dockerId != null && r.dockerId == null) {
						r.dockerId = dockerId;
					}
					if (image != null && r.containerImage == null) {
						r.containerImage = image;
					}
					return;
				}
			}
		}
	}

	/** {@code docker://abc} → {@code abc}; {@code sha256:abc} stays whole; null without a colon. */
	static String extractHash(String v) {
		if (v.length() <= 1) {
			return null;
		}
		int colon = v.indexOf(':');
		if (colon < 0) {
			return null;
		}
		int slash = colon;
		while (slash + 1 < v.length() && v.charAt(slash + 1) == '/') {
			slash++;
		}
		return (slash == colon) ? v : v.substring(slash + 1);
	}

	/** Fluent Bit's {@code merge_namespace_meta}: name, labels, annotations. */
	Map<String, Object> mergeNamespace(Meta m, Map<String, Object> api) {
		KubernetesFilterConfig c = this.config;
		Map<String, Object> meta = map(api.get("metadata"));
		Map<String, Object> k = new LinkedHashMap<>();
		putIf(k, "name", m.namespace);
		if (meta != null) {
			if (c.namespaceLabels && meta.containsKey("labels")) {
				k.put("labels", meta.get("labels"));
			}
			if (c.namespaceAnnotations && meta.containsKey("annotations")) {
				k.put("annotations", meta.get("annotations"));
			}
		}
		return k;
	}

	private Props namespaceProps(Meta m, Map<String, Object> api) {
		Props p = new Props();
		Map<String, Object> meta = map(api.get("metadata"));
		Map<String, Object> ann = (meta != null) ? map(meta.get("annotations")) : null;
		if (ann != null) {
			for (Map.Entry<String, Object> a : ann.entrySet()) {
				String key = a.getKey();
				if (key.startsWith("fluentbit.io/exclude") && a.getValue() instanceof String v) {
					setProp(m, key.substring(13), v, p, true);
				}
			}
		}
		return p;
	}

	/**
	 * One {@code fluentbit.io/<prop>} annotation: {@code parser|exclude}, optionally
	 * {@code _stdout|_stderr}, optionally {@code -<container>} (Fluent Bit's {@code flb_kube_prop_set}).
	 */
	void setProp(Meta m, String prop, String value, Props props, boolean namespaceLevel) {
		KubernetesFilterConfig c = this.config;
		boolean isParser;
		String rest;
		if (prop.startsWith("parser")) {
			isParser = true;
			rest = prop.substring(6);
		}
		else if (prop.startsWith("exclude")) {
			isParser = false;
			rest = prop.substring(7);
		}
		else {
			this.log.warn("unknown annotation 'fluentbit.io/{}' (ns='{}' pod_name='{}')", prop, m.namespace, m.podName);
			return;
		}
		int stream = NO_STREAM;
		if (rest.startsWith("_")) {
			rest = rest.substring(1);
			if (rest.startsWith("stdout")) {
				stream = STREAM_STDOUT;
			}
			else if (rest.startsWith("stderr")) {
				stream = STREAM_STDERR;
			}
			else {
				this.log.warn("invalid stream in annotation 'fluentbit.io/{}' (ns='{}' pod_name='{}')", prop,
						m.namespace, m.podName);
				return;
			}
			rest = rest.substring(6);
		}
		String container = null;
		if (rest.startsWith("-")) {
			container = rest.substring(1);
			if (container.isEmpty()) {
				this.log.warn("invalid container in annotation 'fluentbit.io/{}' (ns='{}' pod_name='{}')", prop,
						m.namespace, m.podName);
				return;
			}
			rest = "";
		}
		if (!rest.isEmpty()) {
			this.log.warn("invalid annotation 'fluentbit.io/{}' (ns='{}' pod_name='{}')", prop, m.namespace, m.podName);
			return;
		}
		if (container != null && (m.containerName == null || !m.containerName.startsWith(container))) {
			return;
		}
		boolean specific = container != null;
		if (isParser) {
			if (namespaceLevel) {
				return;
			}
			if (!c.k8sLoggingParser) {
				this.log.warn("annotation 'fluentbit.io/parser' not allowed (ns='{}' pod_name='{}')", m.namespace,
						m.podName);
				return;
			}
			Parser parser = this.parsers.parser(value);
			if (parser == null) {
				this.log.warn("annotation parser '{}' not found (ns='{}' pod_name='{}', container_name='{}')", value,
						m.namespace, m.podName, m.containerName);
				return;
			}
			if ((stream == NO_STREAM || stream == STREAM_STDOUT) && (specific || props.stdoutParser == null)) {
				props.stdoutParser = parser;
			}
			if ((stream == NO_STREAM || stream == STREAM_STDERR) && (specific || props.stderrParser == null)) {
				props.stderrParser = parser;
			}
		}
		else {
			if (!c.k8sLoggingExclude && !namespaceLevel) {
				this.log.warn("annotation 'fluentbit.io/exclude' not allowed (ns='{}' pod_name='{}')", m.namespace,
						m.podName);
				return;
			}
			int v = isTrue(value) ? TRUE : FALSE;
			if ((stream == NO_STREAM || stream == STREAM_STDOUT) && (specific || props.stdoutExclude == UNDEF)) {
				props.stdoutExclude = v;
			}
			if ((stream == NO_STREAM || stream == STREAM_STDERR) && (specific || props.stderrExclude == UNDEF)) {
				props.stderrExclude = v;
			}
		}
	}

	/** Fluent Bit's {@code flb_utils_bool}. */
	private static boolean isTrue(String v) {
		String s = v.strip().toLowerCase(Locale.ROOT);
		return s.equals("true") || s.equals("on") || s.equals("yes");
	}

	private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy",
			Locale.ROOT);

	/** {@code {"dummy": "<asctime>"}}, as Fluent Bit's {@code flb_kube_dummy_meta_get}. */
	private static byte[] dummyMeta() {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("dummy", LocalDateTime.now().format(ASCTIME));
		return pack(m);
	}

	/** Number of API server / kubelet requests made so far. */
	public long apiRequests() {
		return this.apiRequests.sum();
	}

	@Override
	public void exit() {
		if (this.api != null) {
			this.api.close();
		}
		if (this.kubelet != null) {
			this.kubelet.close();
		}
		this.byTag.clear();
		this.pods.clear();
		this.namespaces.clear();
	}
}
