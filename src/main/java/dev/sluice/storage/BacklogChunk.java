package dev.sluice.storage;

/**
 * A chunk file left under {@code storage.path} by an earlier run, checked and ready to be queued.
 *
 * @param stored its file
 * @param tag the tag stored in its metadata
 * @param eventType 0 logs, 1 metrics, 2 traces
 * @param records whole events in it
 * @param size content bytes
 */
public record BacklogChunk(FsChunk stored, String tag, int eventType, int records, int size) {
}
