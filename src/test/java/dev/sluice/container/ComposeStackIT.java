package dev.sluice.container;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The root docker-compose.yml: {@code docker-compose config} validates it, and the stack starts
 * with the locally built image (see {@link SluiceImage}): the app writes lines to the shared
 * volume, the sidecar tails them and forwards them, the receiver prints them; both Sluice
 * containers turn healthy through their actuator readiness healthchecks.
 * Compose is Debian's docker-compose (1.29; bin/verify installs it) or the compose plugin.
 */
class ComposeStackIT {

	private static final Duration DEADLINE = Duration.ofSeconds(180);

	private static final String PROJECT = "sluiceit" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));

	private static List<String> compose;

	private static Map<String, String> env;

	@BeforeAll
	static void setUp() throws Exception {
		String image = SluiceImage.ensureBuilt();
		compose = composeCommand();
		env = Map.of("SLUICE_IMAGE", image, "SLUICE_RECEIVER_HTTP_PORT", Integer.toString(Ports.free()));
	}

	@AfterAll
	static void down() throws Exception {
		if (compose != null) {
			compose("down", "-v", "--timeout", "5");
		}
	}

	@Test
	void composeConfigValidatesTheFile() throws Exception {
		Out r = compose("config");
		assertThat(r.code()).as(r.text()).isZero();
		assertThat(r.text()).contains("app:", "receiver:", "sluice:", "image: " + SluiceImage.IMAGE,
				"/actuator/health/readiness", "read_only: true");
	}

	@Test
	void theStackStartsAndTheAppsLinesReachTheReceiver() throws Exception {
		Out up = compose("up", "-d");
		assertThat(up.code()).as(up.text()).isZero();
		for (String service : List.of("receiver", "sluice")) {
			Await.until(DEADLINE, service + " healthy", () -> health(service).equals("healthy"));
		}
		Await.until(DEADLINE, "the app's lines in the receiver's output", () -> {
			String logs = receiverLogs();
			return logs.contains("hello from the app") && logs.contains("\"collected_by\":");
		});
		// nothing restarted on the way (a crash loop would still turn healthy between crashes)
		for (String service : List.of("receiver", "sluice")) {
			assertThat(inspect(service, "{{.RestartCount}}")).as(service + " restarts").isEqualTo("0");
		}
	}

	private static String receiverLogs() {
		try {
			return compose("logs", "--no-color", "receiver").text();
		}
		catch (Exception ex) {
			return "";
		}
	}

	private static String health(String service) {
		try {
			return inspect(service, "{{if .State.Health}}{{.State.Health.Status}}{{end}}");
		}
		catch (Exception ex) {
			return "";
		}
	}

	private static String inspect(String service, String format) throws Exception {
		String id = compose("ps", "-q", service).text().strip();
		if (id.isEmpty()) {
			return "";
		}
		return run(List.of("docker", "inspect", "-f", format, id)).text().strip();
	}

	private static List<String> composeCommand() throws Exception {
		if (run(List.of("docker", "compose", "version")).code() == 0) {
			return List.of("docker", "compose");
		}
		if (run(List.of("docker-compose", "version")).code() == 0) {
			return List.of("docker-compose");
		}
		throw new AssertionError("neither `docker compose` nor `docker-compose` works: apt-get install docker-compose");
	}

	private static Out compose(String... args) throws Exception {
		List<String> cmd = new ArrayList<>(compose);
		cmd.addAll(List.of("-p", PROJECT, "-f", SluiceImage.HOME.resolve("docker-compose.yml").toString()));
		cmd.addAll(List.of(args));
		return run(cmd);
	}

	record Out(int code, String text) {
	}

	private static Out run(List<String> cmd) throws Exception {
		ProcessBuilder pb = new ProcessBuilder(cmd).directory(SluiceImage.HOME.toFile()).redirectErrorStream(true);
		if (env != null) {
			pb.environment().putAll(env);
		}
		Process p;
		try {
			p = pb.start();
		}
		catch (java.io.IOException ex) {
			return new Out(127, ex.toString());
		}
		byte[] out = p.getInputStream().readAllBytes();
		if (!p.waitFor(5, TimeUnit.MINUTES)) {
			p.destroyForcibly();
		}
		return new Out(p.exitValue(), new String(out, java.nio.charset.StandardCharsets.UTF_8));
	}

}
