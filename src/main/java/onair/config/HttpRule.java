package onair.config;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One directive of nginx's rewrite module, run in file order before a request gets its content: {@code return}, or
 * an {@code if} block. A server block's rules run before its location is chosen, the location's after.
 */
public sealed interface HttpRule {

    /** Redirect codes, whose {@code return} argument is the {@code Location} URL. */
    Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    /**
     * {@code return CODE [TEXT]}, {@code return CODE URL} for a redirect code, or {@code return URL} (302).
     *
     * @param text the body, or the URL of a redirect; null for none
     */
    record Return(int code, HttpValue text) implements HttpRule {}

    /**
     * {@code if (CONDITION) { … }}: when the condition holds, its {@code add_header} lines replace the location's
     * (when it has some) and its {@code return} answers.
     *
     * @param result the block's {@code return}; null when it has none
     */
    record If(HttpCondition condition, List<HttpLocation.Header> headers, Return result) implements HttpRule {

        public If {
            Objects.requireNonNull(condition, "condition");
            headers = List.copyOf(headers);
        }
    }

    /**
     * {@code error_page CODE… [=[RESPONSE]] URI}: an error answered with another URI, or a redirect to a URL.
     *
     * @param response the status to answer with: 0 for the error's own, -1 ({@code =} alone) for the URI's
     */
    record ErrorPage(int response, HttpValue uri) {

        /** Whether the URI is a URL to redirect to rather than a path to answer with. */
        public boolean redirect() {
            String text = uri.toString();
            return text.startsWith("http://") || text.startsWith("https://") || text.startsWith("$scheme");
        }
    }
}
