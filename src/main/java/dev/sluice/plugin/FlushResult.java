package dev.sluice.plugin;

/**
 * What an output's flush tells the engine, with Fluent Bit's codes ({@code FLB_ERROR=0},
 * {@code FLB_OK=1}, {@code FLB_RETRY=2}).
 */
public enum FlushResult {

	/** The chunk could not be delivered and never will be: drop it for this output. */
	ERROR(0),
	/** Delivered: release this output's route of the chunk. */
	OK(1),
	/** Not delivered now; try again later, within the output's {@code retry_limit}. */
	RETRY(2);

	private final int code;

	FlushResult(int code) {
		this.code = code;
	}

	public int code() {
		return this.code;
	}

	/** Maps a Fluent Bit return code; anything unknown counts as {@link #ERROR}. */
	public static FlushResult ofCode(int code) {
		return switch (code) {
			case 1 -> OK;
			case 2 -> RETRY;
			default -> ERROR;
		};
	}
}
