package io.mediaurlingest.api;

import io.mediaurlingest.ErrorCode;

/** A refusal of an API call: becomes HTTP status + {"RequestId","Code","Message"}. */
public class ApiException extends RuntimeException {

    private final ErrorCode errorCode;

    public ApiException(ErrorCode errorCode, String message) {
        super(message, null, false, false);
        this.errorCode = errorCode;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    public static ApiException invalid(String message) {
        return new ApiException(ErrorCode.INVALID_PARAMETER, message);
    }

    public static ApiException missing(String parameter) {
        return new ApiException(ErrorCode.MISSING_PARAMETER, "The parameter " + parameter + " is required.");
    }
}
