package dev.sluice.plugins.in.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventTime;
import dev.sluice.event.RecordAccessor;
import dev.sluice.net.server.HttpServerSupport;
import dev.sluice.plugin.InputContext;
import dev.sluice.plugin.InputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Fluent Bit's {@code http} input: an HTTP server (HTTP/1.1 with keep-alive, and HTTP/2 in clear
 * text by prior knowledge or {@code Upgrade: h2c}, or over TLS by ALPN) that turns POSTed JSON or
 * form bodies into records.
 *
 * <ul>
 * <li>The tag is the URL path without its leading {@code /} (characters other than letters,
 * digits, {@code _} and {@code .} become {@code _}); {@code /} uses the input's tag.
 * {@code tag_key} takes it from a record field instead (a record accessor; strings only).</li>
 * <li>{@code Content-Type} {@code application/json} (object, array of objects, or several
 * objects such as NDJSON) or {@code application/x-www-form-urlencoded}; {@code Content-Encoding}
 * gzip or deflate.</li>
 * <li>Errors are {@code 400} with Fluent Bit's plain-text bodies; a body over
 * {@code buffer_max_size} (also once decompressed) is {@code 413}.</li>
 * <li>While the instance is paused or stopped nothing is appended and the answer is
 * {@code 503}, so the client retries; a {@code 2xx} is sent only after the records were
 * appended.</li>
 * </ul>
 */
@Plugin(kind = PluginKind.INPUT, name = "http", description = "HTTP", config = HttpInputConfig.class, network = true)
public final class HttpInput implements InputPlugin<HttpInputConfig> {

	static final int DEFAULT_PORT = 9880;

	private static final DateTimeFormatter HEALTH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
		.withZone(ZoneOffset.UTC);

	private Logger log;

	private InputContext context;

	private HttpServerSupport server;

	private int successCode;

	private List<String[]> successHeaders;

	private boolean health;

	private HttpPayload.Options options;

	private boolean addRemoteAddr;

	/** Arrays reused for bodies and their events. */
	private final dev.sluice.event.ByteArrayPool buffers = dev.sluice.event.ByteArrayPool.SHARED;

	@Override
	public void init(HttpInputConfig config, InputContext context) throws Exception {
		this.context = context;
		this.log = context.log();
		this.server = new HttpServerSupport(config, context);
		this.successCode = config.successfulResponseCode;
		if (this.successCode != 200 && this.successCode != 201 && this.successCode != 204) {
			throw new IllegalArgumentException(
					"invalid successful_response_code " + this.successCode + ": 200, 201 and 204 are supported");
		}
		this.successHeaders = new ArrayList<>();
		if (config.successHeader != null) {
			for (List<String> h : config.successHeader) {
				if (h.size() < 2) {
					throw new IllegalArgumentException("success_header needs 'Name Value', got '" + String.join(" ", h) + "'");
				}
				this.successHeaders.add(new String[] { h.get(0), h.get(h.size() - 1) });
			}
		}
		this.health = config.enableHealthEndpoint;
		RecordAccessor ra = null;
		if (config.tagKey != null && !config.tagKey.isBlank()) {
			ra = RecordAccessor.parse(config.tagKey);
		}
		this.addRemoteAddr = config.addRemoteAddr && config.remoteAddrKey != null && !config.remoteAddrKey.isEmpty();
		this.options = new HttpPayload.Options(ra, config.remoteAddrKey);
		this.server.tls(context, true);

		int backlog = 128;
		String b = context.property("net.backlog");
		if (b != null) {
			backlog = Integer.parseInt(b.strip());
		}
		// a request is parsed and appended, never waited on: served where it was read, like Fluent Bit
		this.server.serveOnEventLoop(true);
		this.server.start(context, config.listen, config.port, DEFAULT_PORT, backlog, this::serve);
	}

	/** The bound port. */
	public int port() {
		return this.server.port();
	}

	@Override
	public void collect(InputContext context) throws Exception {
		this.server.serveUntilStopped(context);
	}

	@Override
	public void exit() {
		if (this.server != null) {
			this.server.close();
		}
	}

	// ---- requests

	private void serve(Channel ch, FullHttpRequest request, boolean keep) {
		boolean h2 = HttpServerSupport.isHttp2(ch);
		String uri = request.uri();
		if (uri.isEmpty() || uri.charAt(0) != '/') {
			send(ch, keep, 400, "error: invalid request\n");
			return;
		}
		String tag = HttpPayload.tagFromPath(uri);
		if (tag == null) {
			tag = this.context.tag();
		}
		if (!h2 && request.protocolVersion().equals(HttpVersion.HTTP_1_1) && !request.headers().contains(HttpHeaderNames.HOST)) {
			send(ch, keep, 400, "error: missing host header\n");
			return;
		}
		if (this.health && request.method().equals(HttpMethod.GET) && pathOf(uri).equals("/health")) {
			String msg = "{\n  \"status\": \"ok\",\n  \"message\": \"I can only show you the door. You're the one that has to walk through it.\",\n  \"timestamp\": \""
					+ HEALTH_TIME.format(Instant.now()) + "\"\n}\n";
			send(ch, keep, 200, msg, true);
			return;
		}
		if (!request.method().equals(HttpMethod.POST)) {
			send(ch, keep, 400, "error: invalid HTTP method\n");
			return;
		}
		if (!this.context.isRunning() || this.context.isPaused()) {
			send(ch, keep, 503, "error: input is paused, retry later\n");
			return;
		}
		String ct = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
		if (ct == null) {
			send(ch, keep, 400, "error: header 'Content-Type' is not set\n");
			return;
		}
		HttpPayload.Type type = HttpPayload.contentType(ct);
		if (type == null) {
			send(ch, keep, 400, "error: invalid 'Content-Type'\n");
			return;
		}
		if (request.content().readableBytes() == 0) {
			send(ch, keep, 400, "error: no payload found\n");
			return;
		}
		List<HttpPayload.Batch> batches = null;
		EventBytes events = null;
		try {
			String encoding = request.headers().get(HttpHeaderNames.CONTENT_ENCODING);
			String remote = this.addRemoteAddr ? forwardedFor(request.headers().get("X-Forwarded-For")) : null;
			if (type == HttpPayload.Type.JSON && remote == null && this.options.tagKey() == null) {
				// the common case: JSON straight to events, all with the request's tag
				ByteBuf content = request.content();
				if (HttpPayload.identity(encoding)) {
					int len = content.readableBytes();
					byte[] in = this.buffers.take(len);
					try {
						content.getBytes(content.readerIndex(), in, 0, len);
						events = JsonEvents.encode(in, 0, len, JsonEvents.header(EventTime.now()), this.buffers);
					}
					finally {
						this.buffers.give(in);
					}
				}
				else {
					byte[] body = HttpPayload.decode(encoding, ByteBufUtil.getBytes(content), this.server.maxBody());
					events = JsonEvents.encode(body, 0, body.length, JsonEvents.header(EventTime.now()), this.buffers);
				}
			}
			else {
				byte[] body = HttpPayload.decode(encoding, ByteBufUtil.getBytes(request.content()), this.server.maxBody());
				batches = HttpPayload.records(type, body, tag, remote, this.options, EventTime.now());
			}
		}
		catch (HttpPayload.TooLarge ex) {
			send(ch, false, 413, null);
			return;
		}
		catch (HttpPayload.BadRequest ex) {
			send(ch, keep, 400, ex.getMessage());
			return;
		}
		try {
			if (events != null) {
				if (events.records() > 0) {
					this.context.append(tag, events);
				}
			}
			else {
				for (HttpPayload.Batch batch : batches) {
					if (batch.events().records() > 0) {
						this.context.append(batch.tag(), EventBytes.of(batch.events()));
					}
				}
			}
		}
		catch (IllegalStateException ex) {
			send(ch, keep, 503, "error: input is stopping, retry later\n");
			return;
		}
		send(ch, keep, this.successCode, null);
	}

	private static String pathOf(String uri) {
		int q = uri.indexOf('?');
		return (q >= 0) ? uri.substring(0, q) : uri;
	}

	/** The first address of {@code X-Forwarded-For}, as Fluent Bit takes {@code REMOTE_ADDR}. */
	static String forwardedFor(String header) {
		if (header == null) {
			return null;
		}
		int comma = header.indexOf(',');
		String v = ((comma >= 0) ? header.substring(0, comma) : header).strip();
		return v.isEmpty() ? null : v;
	}

	private void send(Channel ch, boolean keep, int status, String body) {
		send(ch, keep, status, body, false);
	}

	private void send(Channel ch, boolean keep, int status, String body, boolean json) {
		byte[] b = (body != null) ? body.getBytes(StandardCharsets.UTF_8) : new byte[0];
		HttpResponseStatus s = switch (status) {
			case 200 -> HttpResponseStatus.OK;
			case 201 -> HttpResponseStatus.CREATED;
			case 204 -> HttpResponseStatus.NO_CONTENT;
			case 400 -> HttpResponseStatus.BAD_REQUEST;
			case 413 -> new HttpResponseStatus(413, "Payload Too Large");
			case 503 -> HttpResponseStatus.SERVICE_UNAVAILABLE;
			default -> HttpResponseStatus.valueOf(status);
		};
		FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, s, Unpooled.wrappedBuffer(b));
		if (status >= 200 && status <= 204) {
			for (String[] h : this.successHeaders) {
				r.headers().add(h[0], h[1]);
			}
		}
		if (json) {
			r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
		}
		if (status != 204) {
			r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, b.length);
		}
		HttpServerSupport.write(ch, r, keep);
	}

	/** For tests: the instance's context as given to {@code init}. */
	InputContext context() {
		return this.context;
	}

}
