package dev.sluice;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Sluice's version and the Fluent Bit version it is compatible with, from the build. */
public final class SluiceVersionInfo {

	private static final Properties PROPS = load();

	private SluiceVersionInfo() {
	}

	private static Properties load() {
		Properties p = new Properties();
		try (InputStream in = SluiceVersionInfo.class.getResourceAsStream("/sluice-version.properties")) {
			if (in != null) {
				p.load(in);
			}
		}
		catch (IOException ex) {
			// keep defaults
		}
		return p;
	}

	public static String version() {
		return PROPS.getProperty("version", "unknown");
	}

	public static String fluentBitVersion() {
		return PROPS.getProperty("fluentbit.version", "5.1.1");
	}
}
