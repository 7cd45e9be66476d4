package io.tributary.cli.support;

/**
 * A failure the user can act on: its message is the one line printed on standard error and
 * {@link #exitCode()} the process exit code (see {@link ExitCodes}).
 */
public final class CliException extends RuntimeException {

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static CliException notFound(String message) {
        return new CliException(ExitCodes.NOT_FOUND, message);
    }

    public static CliException invalid(String message) {
        return new CliException(ExitCodes.INVALID, message);
    }
}
