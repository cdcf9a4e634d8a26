package dev.keel.sdk;

/**
 * Counts of what a client's exporter did with the events it was given.
 *
 * @param accepted events taken into the queue
 * @param sent events in batches Keel acknowledged, including those it rejected one by one
 * @param rejected events Keel refused in a 207 answer (logged once per kind)
 * @param dropped events refused because the queue was full, the client was closed or not
 *     configured, or one event was too large to send
 * @param failed events in batches given up on after retries or a 4xx answer
 * @param queued events waiting to be sent now
 */
public record ExportStats(long accepted, long sent, long rejected, long dropped, long failed,
    long queued) {
}
