package dev.sluice.plugins.out.syslog;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import dev.sluice.event.EventTime;
import dev.sluice.event.RecordAccessor;
import dev.sluice.plugins.filter.CFormat;

/**
 * Renders one record as a syslog message, as Fluent Bit's {@code out_syslog} does: RFC 5424
 * ({@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [BOM MSG]}) or RFC 3164
 * ({@code <PRI>Mmm dd hh:mm:ss HOSTNAME APP[PROCID]: MSG}), fields taken from the record through
 * the {@code syslog_*_key} accessors or the {@code *_preset}s, then cut to {@code syslog_maxsize}
 * bytes, then framed for stream transports (a newline, or RFC 6587 octet counting
 * {@code LEN SP MSG}). A message that already starts with {@code <} is sent as it is.
 * Immutable and thread-safe.
 */
final class SyslogFormatter {

	enum Format {
		RFC3164, RFC5424
	}

	enum Framing {
		/** Datagrams: no framing. */
		NONE, NEWLINE, OCTET_COUNTING
	}

	private static final String[] MONTHS = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
			"Nov", "Dec" };

	private static final String[] SEVERITIES = { "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug" };

	private static final String[] FACILITIES = { "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
			"uucp", "cron", "authpriv", "ftp", "ntp", "security", "console", null, "local0", "local1", "local2", "local3",
			"local4", "local5", "local6", "local7" };

	private static final byte[] BOM = { (byte) 0xef, (byte) 0xbb, (byte) 0xbf };

	/** An SD element: {@code [SD-ID *(SP PARAM-NAME="PARAM-VALUE")]}. */
	private static final Pattern SD_ELEMENT = Pattern
		.compile("\\[[^\\s=\\]\"]+(?: [^\\s=\\]\"]+=\"(?:[^\"\\\\\\]]|\\\\[\"\\\\\\]])*\")*\\]");

	/** One {@code syslog_sd_key}: its accessor and the SD-ID it becomes. */
	record SdKey(RecordAccessor accessor, String id) {
	}

	record Settings(Format format, Framing framing, int maxsize, RecordAccessor severityKey, int severityPreset,
			RecordAccessor facilityKey, int facilityPreset, RecordAccessor hostnameKey, String hostnamePreset,
			RecordAccessor appnameKey, String appnamePreset, RecordAccessor procidKey, String procidPreset,
			RecordAccessor msgidKey, String msgidPreset, List<SdKey> sdKeys, String sdPreset, RecordAccessor messageKey,
			boolean allowLongerSdId) {
	}

	private final Settings s;

	private final Consumer<String> warn;

	SyslogFormatter(Settings settings, Consumer<String> warn) {
		this.s = settings;
		this.warn = warn;
	}

	/** The SD-ID of an accessor: its path joined with dots ({@code $a['b'][0]} is {@code a.b.0}). */
	static String sdId(RecordAccessor ra) {
		StringBuilder sb = new StringBuilder();
		for (Object p : ra.path()) {
			if (!sb.isEmpty()) {
				sb.append('.');
			}
			sb.append(p);
		}
		return sb.toString();
	}

	/** Whether {@code v} is a valid {@code syslog_sd_preset}: {@code -} or adjacent SD elements. */
	static boolean validSdPreset(String v, boolean allowLonger) {
		if (v.equals("-")) {
			return true;
		}
		java.util.regex.Matcher m = SD_ELEMENT.matcher(v);
		int pos = 0;
		while (pos < v.length()) {
			if (!m.find(pos) || m.start() != pos) {
				return false;
			}
			if (!allowLonger) {
				String el = m.group();
				for (String name : el.substring(1, el.length() - 1).split(" (?=[^\\s=\\]\"]+=\")")) {
					String n = name.contains("=") ? name.substring(0, name.indexOf('=')) : name;
					if (n.length() > 32) {
						return false;
					}
				}
			}
			pos = m.end();
		}
		return pos > 0;
	}

	/** The framed message for one record. */
	byte[] format(EventTime time, Map<String, Object> record) {
		int severity = -1;
		int facility = -1;
		byte[] hostname = null;
		byte[] appname = null;
		byte[] procid = null;
		byte[] msgid = null;
		byte[] message = null;
		if (this.s.severityKey() != null) {
			byte[] v = text(this.s.severityKey().get(record));
			if (v != null) {
				severity = severity(v);
			}
		}
		if (this.s.facilityKey() != null) {
			byte[] v = text(this.s.facilityKey().get(record));
			if (v != null) {
				facility = facility(v);
			}
		}
		hostname = (this.s.hostnameKey() != null) ? text(this.s.hostnameKey().get(record)) : null;
		appname = (this.s.appnameKey() != null) ? text(this.s.appnameKey().get(record)) : null;
		procid = (this.s.procidKey() != null) ? text(this.s.procidKey().get(record)) : null;
		msgid = (this.s.msgidKey() != null) ? text(this.s.msgidKey().get(record)) : null;
		message = (this.s.messageKey() != null) ? text(this.s.messageKey().get(record)) : null;
		ByteArrayOutputStream sd = null;
		for (SdKey k : this.s.sdKeys()) {
			if (k.accessor().get(record) instanceof Map<?, ?> m) {
				if (sd == null) {
					sd = new ByteArrayOutputStream();
				}
				structuredData(sd, k.id(), m);
			}
		}
		if (severity < 0) {
			severity = this.s.severityPreset();
		}
		if (facility < 0) {
			facility = this.s.facilityPreset();
		}
		hostname = (hostname != null) ? hostname : utf8(this.s.hostnamePreset());
		appname = (appname != null) ? appname : utf8(this.s.appnamePreset());
		procid = (procid != null) ? procid : utf8(this.s.procidPreset());
		msgid = (msgid != null) ? msgid : utf8(this.s.msgidPreset());
		ByteArrayOutputStream out = new ByteArrayOutputStream(256);
		int pri = (facility << 3) + severity;
		if (message != null && message.length > 0 && message[0] == '<') {
			out.writeBytes(message);
		}
		else if (this.s.format() == Format.RFC3164) {
			ZonedDateTime t = ZonedDateTime.ofInstant(Instant.ofEpochSecond(time.seconds()), ZoneOffset.UTC);
			ascii(out, String.format(Locale.ROOT, "<%d>%s %2d %02d:%02d:%02d ", pri, MONTHS[t.getMonthValue() - 1],
					t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond()));
			if (hostname != null) {
				out.writeBytes(hostname);
				out.write(' ');
			}
			if (appname != null) {
				out.writeBytes(appname);
				if (procid != null) {
					out.write('[');
					out.writeBytes(procid);
					out.write(']');
				}
				ascii(out, ": ");
			}
			if (message != null) {
				out.writeBytes(message);
			}
		}
		else {
			ZonedDateTime t = ZonedDateTime.ofInstant(Instant.ofEpochSecond(time.seconds()), ZoneOffset.UTC);
			ascii(out, String.format(Locale.ROOT, "<%d>1 %d-%02d-%02dT%02d:%02d:%02d.%06dZ ", pri, t.getYear(),
					t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(), time.nanos() / 1000));
			field(out, hostname, 255);
			out.write(' ');
			field(out, appname, 48);
			out.write(' ');
			field(out, procid, 128);
			out.write(' ');
			field(out, msgid, 32);
			out.write(' ');
			if (sd != null) {
				out.writeBytes(sd.toByteArray());
			}
			else if (this.s.sdPreset() != null) {
				ascii(out, this.s.sdPreset());
			}
			else {
				out.write('-');
			}
			if (message != null) {
				out.write(' ');
				out.writeBytes(BOM);
				out.writeBytes(message);
			}
		}
		byte[] msg = out.toByteArray();
		int len = Math.min(msg.length, this.s.maxsize());
		return switch (this.s.framing()) {
			case NONE -> (len == msg.length) ? msg : java.util.Arrays.copyOf(msg, len);
			case NEWLINE -> {
				byte[] b = java.util.Arrays.copyOf(msg, len + 1);
				b[len] = '\n';
				yield b;
			}
			case OCTET_COUNTING -> {
				byte[] prefix = (len + " ").getBytes(StandardCharsets.US_ASCII);
				byte[] b = new byte[prefix.length + len];
				System.arraycopy(prefix, 0, b, 0, prefix.length);
				System.arraycopy(msg, 0, b, prefix.length, len);
				yield b;
			}
		};
	}

	private int severity(byte[] v) {
		if (v.length == 1 && v[0] >= '0' && v[0] <= '7') {
			return v[0] - '0';
		}
		String name = new String(v, StandardCharsets.UTF_8);
		for (int i = 0; i < SEVERITIES.length; i++) {
			if (SEVERITIES[i].equalsIgnoreCase(name)) {
				return i;
			}
		}
		this.warn.accept("invalid severity: '" + name + "'");
		return -1;
	}

	private int facility(byte[] v) {
		if (v.length == 1 && v[0] >= '0' && v[0] <= '9') {
			return v[0] - '0';
		}
		String name = new String(v, StandardCharsets.UTF_8);
		if (v.length == 2 && v[0] >= '0' && v[0] <= '2' && v[1] >= '0' && v[1] <= '9') {
			int f = (v[0] - '0') * 10 + (v[1] - '0');
			if (f <= 23) {
				return f;
			}
			this.warn.accept("invalid facility: '" + name + "'");
			return -1;
		}
		for (int i = 0; i < FACILITIES.length; i++) {
			if (FACILITIES[i] != null && FACILITIES[i].equalsIgnoreCase(name)) {
				return i;
			}
		}
		this.warn.accept("invalid facility: '" + name + "'");
		return -1;
	}

	/** A scalar value as the text Fluent Bit writes for it; null for maps, arrays and nil. */
	static byte[] text(Object v) {
		return switch (v) {
			case null -> null;
			case Boolean b -> utf8(b ? "true" : "false");
			case String str -> utf8(str);
			case byte[] bin -> bin;
			case Double d -> utf8(CFormat.f(d));
			case Float f -> utf8(CFormat.f(f));
			case Number n -> utf8(n.toString());
			default -> null;
		};
	}

	private static byte[] utf8(String s) {
		return (s != null) ? s.getBytes(StandardCharsets.UTF_8) : null;
	}

	private static void ascii(ByteArrayOutputStream out, String s) {
		out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
	}

	private static void field(ByteArrayOutputStream out, byte[] v, int max) {
		if (v == null) {
			out.write('-');
		}
		else {
			out.write(v, 0, Math.min(v.length, max));
		}
	}

	private void structuredData(ByteArrayOutputStream sd, String id, Map<?, ?> params) {
		sd.write('[');
		name(sd, utf8(id));
		for (Map.Entry<?, ?> e : params.entrySet()) {
			byte[] key = (e.getKey() instanceof String k) ? utf8(k) : (e.getKey() instanceof byte[] b) ? b : null;
			byte[] val = text(e.getValue());
			if (key == null || val == null) {
				continue;
			}
			sd.write(' ');
			name(sd, key);
			sd.write('=');
			sd.write('"');
			for (byte c : val) {
				if (c == '"' || c == '\\' || c == ']') {
					sd.write('\\');
				}
				sd.write(c);
			}
			sd.write('"');
		}
		sd.write(']');
	}

	/** An SD-NAME: at most 32 bytes (unless allowed longer), '=', SP, ']', '"' and non-printables as '_'. */
	private void name(ByteArrayOutputStream out, byte[] n) {
		int len = (this.s.allowLongerSdId()) ? n.length : Math.min(n.length, 32);
		for (int i = 0; i < len; i++) {
			int c = n[i] & 0xff;
			boolean ok = c > 32 && c < 127 && c != '=' && c != ']' && c != '"';
			out.write(ok ? c : '_');
		}
	}

	/** The accessors of the {@code syslog_sd_key}s. */
	static List<SdKey> sdKeys(List<String> keys) {
		List<SdKey> out = new ArrayList<>();
		if (keys != null) {
			for (String k : keys) {
				RecordAccessor ra = RecordAccessor.parse(k);
				out.add(new SdKey(ra, sdId(ra)));
			}
		}
		return out;
	}
}
