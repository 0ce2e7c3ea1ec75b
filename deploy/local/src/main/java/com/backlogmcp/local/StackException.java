package com.backlogmcp.local;

/** A failure the user can act on; its message is printed as one line, without a stack trace. */
final class StackException extends RuntimeException {
    StackException(String message) {
        super(message);
    }

    StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
