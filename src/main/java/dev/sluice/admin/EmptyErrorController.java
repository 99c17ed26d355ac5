package dev.sluice.admin;

import java.io.IOException;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Unknown paths answer as Fluent Bit's server does: the status and an empty body. */
@RestController
public class EmptyErrorController implements ErrorController {

	@RequestMapping("/error")
	public void error(HttpServletRequest req, HttpServletResponse res) throws IOException {
		Object status = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		MonitoringController.write(res, (status instanceof Integer s) ? s : 404, null, "");
	}
}
