package dev.sluice.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bearer-token protection of the mutating endpoints ({@code POST|PUT /api/v2/reload}, input pause
 * and resume, the tap) when a token is configured ({@code admin.token} in the service section,
 * or the Spring property {@code sluice.admin.token}). Read-only endpoints stay open unless
 * {@code admin.protect_read_endpoints} is on. The token is compared in constant time and never
 * logged.
 */
public final class AdminTokenFilter extends OncePerRequestFilter {

	private final byte[] token;

	private final boolean protectReads;

	public AdminTokenFilter(String token, boolean protectReads) {
		this.token = (token != null && !token.isEmpty()) ? token.getBytes(StandardCharsets.UTF_8) : null;
		this.protectReads = protectReads;
	}

	static boolean isMutating(HttpServletRequest req) {
		String path = req.getRequestURI();
		String m = req.getMethod();
		if (path.equals("/api/v2/reload")) {
			return m.equals("POST") || m.equals("PUT");
		}
		return path.startsWith("/api/sluice/tap") || (path.startsWith("/api/sluice/") && !m.equals("GET") && !m.equals("HEAD"));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
			throws ServletException, IOException {
		if (this.token == null || !(isMutating(req) || this.protectReads)) {
			chain.doFilter(req, res);
			return;
		}
		String auth = req.getHeader("Authorization");
		byte[] given = (auth != null && auth.startsWith("Bearer ")) ? auth.substring(7).strip().getBytes(StandardCharsets.UTF_8)
				: new byte[0];
		if (!MessageDigest.isEqual(given, this.token)) {
			res.setHeader("WWW-Authenticate", "Bearer realm=\"sluice\"");
			MonitoringController.write(res, 401, MonitoringController.JSON, "{\"error\":\"unauthorized\"}");
			return;
		}
		chain.doFilter(req, res);
	}
}
