package onair.config;

/** A configuration or command line that Onair refuses; the message says where ({@code file:line: }) and why. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    static ConfigException at(String file, int line, String message) {
        return new ConfigException(file + ":" + line + ": " + message);
    }

    static ConfigException at(Directive directive, String message) {
        return at(directive.file(), directive.line(), message);
    }

    static ConfigException invalidArgumentCount(Directive d) {
        return at(d, "invalid number of arguments in \"" + d.name() + "\" directive");
    }

    static ConfigException invalidValue(Directive d, String value, String detail) {
        String message = "invalid value \"" + value + "\" in \"" + d.name() + "\" directive";
        return at(d, detail == null ? message : message + ", " + detail);
    }
}
