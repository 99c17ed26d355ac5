package dev.sluice.plugins.external;

/**
 * An external plugin (a Go or C shared object, or a Java plugin jar) that cannot be loaded: the
 * message names the file and says what is wrong. Loading happens at start-up, so this is a
 * start-up error.
 */
public class ExternalPluginException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public ExternalPluginException(String message) {
		super(message);
	}

	public ExternalPluginException(String message, Throwable cause) {
		super(message, cause);
	}
}
