package io.steer.llm.sample;

import io.steer.llm.error.InvalidRequestException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;

/**
 * Answers bad input with an RFC 9457 problem rather than a 500: a request the client
 * cannot send ({@link InvalidRequestException}: unknown model, provider or API, an empty
 * prompt, a bad message) with 400, its {@code detail} saying what was wrong and what is
 * accepted and its {@code field} naming the input at fault; Spring's own web errors
 * (malformed JSON, a wrong content type, …) with their status, as
 * {@link ResponseEntityExceptionHandler} does.
 * <p>
 * Problems are always {@code application/problem+json}, even to a client that accepts
 * only {@code text/event-stream} (a browser's {@code EventSource}), which would otherwise
 * get the problem as an SSE event.
 */
@RestControllerAdvice
class ChatExceptionHandler extends ResponseEntityExceptionHandler {

	@ExceptionHandler(InvalidRequestException.class)
	Mono<ResponseEntity<Object>> invalidRequest(InvalidRequestException ex, ServerWebExchange exchange) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
		problem.setTitle("Invalid chat request");
		problem.setProperty("field", ex.getField());
		return handleExceptionInternal(ex, problem, null, HttpStatus.BAD_REQUEST, exchange);
	}

	@Override
	protected Mono<ResponseEntity<Object>> createResponseEntity(@Nullable Object body, @Nullable HttpHeaders headers,
			HttpStatusCode status, ServerWebExchange exchange) {
		HttpHeaders problemHeaders = (headers != null) ? HttpHeaders.copyOf(headers) : new HttpHeaders();
		if (body instanceof ProblemDetail) {
			problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
		return super.createResponseEntity(body, problemHeaders, status, exchange);
	}

}
