package onair.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The condition of an nginx {@code if (…)} block: {@code $var} (neither empty nor "0"), {@code $var = TEXT},
 * {@code $var != TEXT}, {@code $var ~ REGEX} ({@code ~*} ignoring case, {@code !~}, {@code !~*}), or a file test
 * {@code -f}/{@code !-f}, {@code -d}/{@code !-d}, {@code -e}/{@code !-e} of a path.
 */
public final class HttpCondition {

    private enum Test { SET, EQUALS, MATCHES, FILE, DIRECTORY, EXISTS }

    private final Test test;
    private final boolean negated;
    private final HttpValue subject;
    private final HttpValue operand;
    private final Pattern pattern;
    private final String text;

    private HttpCondition(Test test, boolean negated, HttpValue subject, HttpValue operand, Pattern pattern,
            String text) {
        this.test = test;
        this.negated = negated;
        this.subject = subject;
        this.operand = operand;
        this.pattern = pattern;
        this.text = text;
    }

    /** The condition of {@code if}'s arguments, parentheses included, as nginx splits them. */
    static HttpCondition parse(Directive d, Set<String> maps) {
        List<String> args = new ArrayList<>(d.args());
        if (args.isEmpty() || !args.getFirst().startsWith("(") || !args.getLast().endsWith(")")) {
            throw ConfigException.at(d, "invalid condition \"" + String.join(" ", args) + "\"");
        }
        args.set(0, args.getFirst().substring(1));
        args.set(args.size() - 1, args.getLast().substring(0, args.getLast().length() - 1));
        args.removeIf(String::isEmpty);
        args.forEach(arg -> HttpValue.check(d, arg, maps));
        String text = String.join(" ", args);
        if (args.size() == 1 && args.getFirst().startsWith("$")) {
            return new HttpCondition(Test.SET, false, HttpValue.of(args.getFirst()), null, null, text);
        }
        if (args.size() == 2) {
            String operator = args.getFirst();
            boolean negated = operator.startsWith("!");
            Test test = switch (negated ? operator.substring(1) : operator) {
                case "-f" -> Test.FILE;
                case "-d" -> Test.DIRECTORY;
                case "-e" -> Test.EXISTS;
                default -> throw ConfigException.at(d, "unexpected \"" + operator + "\" in condition");
            };
            return new HttpCondition(test, negated, HttpValue.of(args.get(1)), null, null, text);
        }
        if (args.size() == 3 && args.getFirst().startsWith("$")) {
            HttpValue subject = HttpValue.of(args.getFirst());
            String operator = args.get(1);
            return switch (operator) {
                case "=", "!=" -> new HttpCondition(Test.EQUALS, operator.equals("!="), subject,
                        HttpValue.of(args.get(2)), null, text);
                case "~", "~*", "!~", "!~*" -> new HttpCondition(Test.MATCHES, operator.startsWith("!"), subject, null,
                        regex(d, args.get(2), operator.endsWith("*")), text);
                default -> throw ConfigException.at(d, "unexpected \"" + operator + "\" in condition");
            };
        }
        throw ConfigException.at(d, "invalid condition \"" + text + "\"");
    }

    /** A regular expression of a condition or a location; nginx's PCRE syntax as far as Java's regexes share it. */
    static Pattern regex(Directive d, String regex, boolean caseless) {
        try {
            return Pattern.compile(regex, caseless ? Pattern.CASE_INSENSITIVE : 0);
        } catch (PatternSyntaxException e) {
            throw ConfigException.at(d, "invalid regular expression \"" + regex + "\": " + e.getDescription());
        }
    }

    /** Whether the condition holds for a request whose variables are {@code variables}. */
    public boolean test(Function<String, String> variables) {
        String value = subject.evaluate(variables);
        boolean holds = switch (test) {
            case SET -> !value.isEmpty() && !value.equals("0");
            case EQUALS -> value.equals(operand.evaluate(variables));
            case MATCHES -> pattern.matcher(value).find();
            case FILE -> Files.isRegularFile(Path.of(value));
            case DIRECTORY -> Files.isDirectory(Path.of(value));
            case EXISTS -> Files.exists(Path.of(value));
        };
        return holds != negated;
    }

    /** The condition as written, without its parentheses. */
    @Override
    public String toString() {
        return text;
    }
}
