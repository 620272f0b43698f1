package onair.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Reads nginx configuration syntax into a tree of {@link Directive}s, splicing {@code include}d files in place.
 * Relative include paths are resolved against the directory of the including file; an {@code include mime.types}
 * inside a block whose file is missing stays in the tree as a directive, for the binder to note as ignored.
 */
public final class ConfigParser {

    private enum Type { WORD, SEMICOLON, OPEN, CLOSE, EOF }

    private record Token(Type type, String text, int line) {}

    private static final int MAX_INCLUDE_DEPTH = 32;

    private final String text;
    private final String file;
    private final Path dir;
    private final Predicate<String> followIncludesIn;
    private final List<Path> includeStack;
    private int pos;
    private int line = 1;

    private ConfigParser(String text, String file, Predicate<String> followIncludesIn, List<Path> includeStack) {
        this.text = text;
        this.file = file;
        this.dir = Path.of(file).toAbsolutePath().getParent();
        this.followIncludesIn = followIncludesIn;
        this.includeStack = includeStack;
    }

    /** Parses a file and everything it includes. */
    public static List<Directive> parse(Path file) {
        return parse(file, block -> true);
    }

    /** Parses text as if read from {@code fileName}; includes are resolved next to that name. */
    public static List<Directive> parse(String text, String fileName) {
        return parse(text, fileName, block -> true);
    }

    /**
     * Like {@link #parse(Path)}, but {@code include}s inside a top-level block are followed only when
     * {@code followIncludesIn} accepts the block's name; the others stay in the tree as plain directives.
     */
    static List<Directive> parse(Path file, Predicate<String> followIncludesIn) {
        return parse(read(file, null), file.toString(), followIncludesIn);
    }

    static List<Directive> parse(String text, String fileName, Predicate<String> followIncludesIn) {
        List<Path> stack = List.of(Path.of(fileName).toAbsolutePath().normalize());
        return new ConfigParser(text, fileName, followIncludesIn, stack).block(null, null);
    }

    private List<Directive> block(Token open, String topBlock) {
        List<Directive> directives = new ArrayList<>();
        List<String> words = new ArrayList<>();
        int start = 0;
        while (true) {
            Token token = next();
            switch (token.type()) {
                case WORD -> {
                    if (words.isEmpty()) {
                        start = token.line();
                    }
                    words.add(token.text());
                }
                case SEMICOLON -> {
                    if (words.isEmpty()) {
                        throw ConfigException.at(file, token.line(), "unexpected \";\"");
                    }
                    Directive directive = directive(words, null, start);
                    if (directive.name().equals("include") && (topBlock == null || followIncludesIn.test(topBlock))) {
                        directives.addAll(include(directive, topBlock));
                    } else {
                        directives.add(directive);
                    }
                    words.clear();
                }
                case OPEN -> {
                    if (words.isEmpty()) {
                        throw ConfigException.at(file, token.line(), "unexpected \"{\"");
                    }
                    String name = words.getFirst();
                    List<Directive> inner = block(token, topBlock == null ? name : topBlock);
                    directives.add(directive(words, inner, start));
                    words.clear();
                }
                case CLOSE -> {
                    if (!words.isEmpty()) {
                        throw notTerminated(words, start);
                    }
                    if (open == null) {
                        throw ConfigException.at(file, token.line(), "unexpected \"}\"");
                    }
                    return directives;
                }
                case EOF -> {
                    if (!words.isEmpty()) {
                        throw notTerminated(words, start);
                    }
                    if (open != null) {
                        throw ConfigException.at(file, token.line(), "unexpected end of file, expecting \"}\"");
                    }
                    return directives;
                }
            }
        }
    }

    private Directive directive(List<String> words, List<Directive> block, int start) {
        return new Directive(words.getFirst(), words.subList(1, words.size()), block, file, start);
    }

    private ConfigException notTerminated(List<String> words, int start) {
        return ConfigException.at(file, start, "directive \"" + words.getFirst() + "\" is not terminated by \";\"");
    }

    private List<Directive> include(Directive include, String topBlock) {
        if (include.args().size() != 1) {
            throw ConfigException.at(include, "invalid number of arguments in \"include\" directive");
        }
        if (includeStack.size() > MAX_INCLUDE_DEPTH) {
            throw ConfigException.at(include, "too many nested includes of \"" + include.args().getFirst() + "\"");
        }
        Path named = dir.resolve(include.args().getFirst());
        if (topBlock != null && named.getFileName() != null && named.getFileName().toString().equals("mime.types")
                && !Files.exists(named)) {
            return List.of(include);
        }
        List<Directive> spliced = new ArrayList<>();
        for (Path path : expand(include)) {
            Path absolute = path.toAbsolutePath().normalize();
            if (includeStack.contains(absolute)) {
                throw ConfigException.at(include, "\"" + path + "\" includes itself");
            }
            List<Path> stack = new ArrayList<>(includeStack);
            stack.add(absolute);
            ConfigParser parser = new ConfigParser(read(path, include), path.toString(), followIncludesIn, stack);
            spliced.addAll(parser.block(null, topBlock));
        }
        return spliced;
    }

    private List<Path> expand(Directive include) {
        String pattern = include.args().getFirst();
        Path path = dir.resolve(pattern);
        if (pattern.chars().noneMatch(c -> c == '*' || c == '?' || c == '[')) {
            return List.of(path);
        }
        List<Path> candidates = List.of(path.getRoot() == null ? Path.of("") : path.getRoot());
        for (Path component : path) {
            String name = component.toString();
            List<Path> next = new ArrayList<>();
            for (Path candidate : candidates) {
                if (name.chars().noneMatch(c -> c == '*' || c == '?' || c == '[')) {
                    next.add(candidate.resolve(name));
                } else {
                    next.addAll(matching(candidate, name));
                }
            }
            candidates = next;
        }
        return candidates.stream().filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList();
    }

    private static List<Path> matching(Path dir, String glob) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        try (Stream<Path> children = Files.list(dir)) {
            return children
                    .filter(child -> glob.startsWith(".") || !child.getFileName().toString().startsWith("."))
                    .filter(child -> matcher.matches(child.getFileName()))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String read(Path path, Directive include) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            String reason = switch (e) {
                case NoSuchFileException ignored -> "No such file or directory";
                case AccessDeniedException ignored -> "Permission denied";
                default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            };
            String message = "open() \"" + path + "\" failed (" + reason + ")";
            throw include == null ? new ConfigException(message) : ConfigException.at(include, message);
        }
    }

    private Token next() {
        skipSpaceAndComments();
        if (pos >= text.length()) {
            return new Token(Type.EOF, null, line);
        }
        char c = text.charAt(pos);
        return switch (c) {
            case ';' -> single(Type.SEMICOLON);
            case '{' -> single(Type.OPEN);
            case '}' -> single(Type.CLOSE);
            case '"', '\'' -> quoted(c);
            default -> word();
        };
    }

    private void skipSpaceAndComments() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '#') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (Character.isWhitespace(c)) {
                if (c == '\n') {
                    line++;
                }
                pos++;
            } else {
                return;
            }
        }
    }

    private Token single(Type type) {
        pos++;
        return new Token(type, null, line);
    }

    private Token quoted(char quote) {
        int start = line;
        StringBuilder value = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= text.length()) {
                throw ConfigException.at(file, line, "unexpected end of file, expecting a closing " + quote);
            }
            char c = text.charAt(pos);
            if (c == quote) {
                pos++;
                break;
            }
            if (c == '\\' && pos + 1 < text.length()) {
                pos = escape(value);
                continue;
            }
            if (c == '\n') {
                line++;
            }
            value.append(c);
            pos++;
        }
        if (pos < text.length()) {
            char after = text.charAt(pos);
            if (!Character.isWhitespace(after) && after != ';' && after != '{' && after != '}' && after != ')') {
                throw ConfigException.at(file, line, "unexpected \"" + after + "\"");
            }
        }
        return new Token(Type.WORD, value.toString(), start);
    }

    private Token word() {
        StringBuilder value = new StringBuilder();
        boolean variable = false;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '{' && variable) {
                value.append(c);
                pos++;
                variable = false;
                continue;
            }
            if (Character.isWhitespace(c) || c == ';' || c == '{') {
                break;
            }
            variable = c == '$';
            if (c == '\\' && pos + 1 < text.length()) {
                pos = escape(value);
                continue;
            }
            value.append(c);
            pos++;
        }
        return new Token(Type.WORD, value.toString(), line);
    }

    private int escape(StringBuilder value) {
        char escaped = text.charAt(pos + 1);
        switch (escaped) {
            case '"', '\'', '\\' -> value.append(escaped);
            case 't' -> value.append('\t');
            case 'r' -> value.append('\r');
            case 'n' -> value.append('\n');
            default -> {
                if (escaped == '\n') {
                    line++;
                }
                value.append('\\').append(escaped);
            }
        }
        return pos + 2;
    }
}
