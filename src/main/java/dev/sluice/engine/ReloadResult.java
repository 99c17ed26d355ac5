package dev.sluice.engine;

/**
 * The answer to a reload request.
 *
 * @param outcome done, refused because one is running, or failed (the running pipeline is
 * untouched)
 * @param message what went wrong, for FAILED
 */
public record ReloadResult(Outcome outcome, String message) {

	/** How a reload ended. */
	public enum Outcome {
		DONE, IN_PROGRESS, FAILED
	}

	static ReloadResult done() {
		return new ReloadResult(Outcome.DONE, null);
	}
}
