package dev.mmcheck.checker;

/**
 * Thrown by {@link Checker#check()} when the model threw on a worker thread; the model's exception is the cause.
 * (With a single thread the model's exception propagates unchanged.)
 */
public final class ModelException extends RuntimeException {
    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
