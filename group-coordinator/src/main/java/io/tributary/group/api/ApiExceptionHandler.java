package io.tributary.group.api;

import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every failure of the group REST API into an RFC 7807 problem carrying Kafka's numeric
 * {@code errorCode} and its {@code error} name (as metadata-service's API does), with a one-line
 * {@code detail}.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> onKafkaError(ApiException e) {
        return problem(Errors.forException(e), e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> onUnexpected(Exception e, WebRequest request) {
        log.error("Unexpected failure of {}", request.getDescription(false), e);
        return problem(Errors.UNKNOWN_SERVER_ERROR, "Unexpected server error: " + e);
    }

    /** Spring's own 4xx/5xx problems (unreadable JSON, wrong method, …) get Kafka codes too. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception ex, Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem) {
            Errors error = statusCode.is4xxClientError() ? Errors.INVALID_REQUEST : Errors.UNKNOWN_SERVER_ERROR;
            problem.setProperty("errorCode", error.code());
            problem.setProperty("error", error.name());
        }
        return response;
    }

    static HttpStatus statusOf(Errors error) {
        return switch (error) {
            case GROUP_ID_NOT_FOUND -> HttpStatus.NOT_FOUND;
            case NON_EMPTY_GROUP, REBALANCE_IN_PROGRESS -> HttpStatus.CONFLICT;
            case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS ->
                HttpStatus.SERVICE_UNAVAILABLE;
            case REQUEST_TIMED_OUT -> HttpStatus.GATEWAY_TIMEOUT;
            case UNKNOWN_SERVER_ERROR -> HttpStatus.INTERNAL_SERVER_ERROR;
            default -> HttpStatus.BAD_REQUEST;
        };
    }

    static ResponseEntity<ProblemDetail> problem(Errors error, String detail) {
        HttpStatus status = statusOf(error);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(error.name());
        problem.setProperty("errorCode", error.code());
        problem.setProperty("error", error.name());
        return ResponseEntity.status(status).body(problem);
    }
}
