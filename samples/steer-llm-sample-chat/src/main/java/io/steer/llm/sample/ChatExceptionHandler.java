package io.steer.llm.sample;

import java.util.Locale;

import io.steer.llm.error.InvalidRequestException;
import io.steer.llm.provider.Secrets;
import io.steer.llm.resume.ResumeException;
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
 * {@link ResponseEntityExceptionHandler} does. A resumable stream that is not there
 * ({@link ResumeException}) gets 404 when it never existed, 204 and no body when it
 * expired (so that a browser's {@code EventSource} stops reconnecting), 400 for a
 * malformed stream or event id, 503 when the store cannot serve it.
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

	@ExceptionHandler(ResumeException.class)
	Mono<ResponseEntity<Object>> resume(ResumeException ex, ServerWebExchange exchange) {
		HttpStatus status = switch (ex.getErrorType()) {
			case GONE -> HttpStatus.NO_CONTENT;
			case NOT_FOUND -> HttpStatus.NOT_FOUND;
			case INVALID_ID -> HttpStatus.BAD_REQUEST;
			case OVERFLOW, UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
			case PRODUCER_LOST -> HttpStatus.INTERNAL_SERVER_ERROR;
		};
		if (status == HttpStatus.NO_CONTENT) {
			return Mono.just(ResponseEntity.noContent().build());
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, ex.getMessage());
		problem.setTitle("Stream " + ex.getErrorType().name().toLowerCase(Locale.ROOT).replace('_', ' '));
		problem.setProperty("streamId", Secrets.redact(ex.getStreamId(), null));
		problem.setProperty("errorType", ex.getErrorType().name());
		return handleExceptionInternal(ex, problem, null, status, exchange);
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
