package dev.sluice.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A sealed chunk on its way to the outputs it is routed to: one route per output, each with its
 * own retry state. Engine thread only. The chunk is released when every route has ended.
 */
final class Task {

	final int id;

	final SealedChunk chunk;

	final List<Route> routes = new ArrayList<>();

	int open;

	/** Taken over from a previous generation on reload. */
	boolean adopted;

	boolean anyTransferred() {
		for (Route r : this.routes) {
			if (r.transferred) {
				return true;
			}
		}
		return false;
	}

	Task(int id, SealedChunk chunk) {
		this.id = id;
		this.chunk = chunk;
	}

	Route addRoute(OutputInstance output) {
		Route r = new Route(this, output);
		this.routes.add(r);
		this.open++;
		return r;
	}

	/** One output's share of a task. */
	static final class Route {

		final Task task;

		final OutputInstance output;

		/** Retries so far (0 before the first retry). */
		int attempts;

		boolean done;

		/** A retry timer is armed for this route. */
		boolean waitingRetry;

		/** A flush of this route is running. */
		boolean inFlight;

		/** Handed to the next generation on reload. */
		boolean transferred;

		/** The chunk after the output's processors (computed at the first flush attempt). */
		volatile SealedChunk processed;

		Route(Task task, OutputInstance output) {
			this.task = task;
			this.output = output;
		}
	}
}
