package dev.sluice.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Sluice's version, and the Fluent Bit version it is compatible with, read from the class-path
 * resource {@code /sluice-version.properties} (written by the build; keys {@code version},
 * {@code fluentbit.version} and, optionally, {@code git.commit}). Anything missing reads as
 * {@code unknown}.
 *
 * @param version Sluice's own version
 * @param fluentBitVersion the Fluent Bit release whose behaviour Sluice reproduces, e.g. {@code 5.1.1}
 * @param gitCommit the commit Sluice was built from
 */
public record SluiceVersion(String version, String fluentBitVersion, String gitCommit) {

	/** The resource the build writes. */
	public static final String RESOURCE = "/sluice-version.properties";

	static final String UNKNOWN = "unknown";

	private static final class Holder {

		static final SluiceVersion CURRENT = load(SluiceVersion.class.getResourceAsStream(RESOURCE));
	}

	/** The version of this build. */
	public static SluiceVersion current() {
		return Holder.CURRENT;
	}

	/** Reads the properties from a stream, or all-{@code unknown} when the stream is null. */
	static SluiceVersion load(InputStream in) {
		Properties p = new Properties();
		if (in != null) {
			try (in) {
				p.load(in);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("cannot read " + RESOURCE, ex);
			}
		}
		return new SluiceVersion(value(p, "version"), value(p, "fluentbit.version"), value(p, "git.commit"));
	}

	private static String value(Properties p, String key) {
		String v = p.getProperty(key);
		// An unfiltered copy still holds the build's placeholder: ${name} or, with Spring Boot's
		// parent, @name@.
		if (v == null || v.isBlank() || v.startsWith("${") || (v.length() > 1 && v.startsWith("@") && v.endsWith("@"))) {
			return UNKNOWN;
		}
		return v.strip();
	}

	/** The first line of {@code --version} and of the banner. */
	public String headline() {
		return "Sluice v" + this.version + " (Fluent Bit v" + this.fluentBitVersion + " compatible)";
	}
}
