package onair.directory;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * A directory of a fixed list of origins ({@code directory static URL...;}), for setups without Redis: every stream
 * may be on any of them, tried in order, and registering is a no-op.
 */
public final class StaticDirectory implements StreamDirectory {

    private final List<URI> origins;

    /** @param origins {@code rtmp://host:port} base URLs, in the order an edge tries them */
    public StaticDirectory(List<URI> origins) {
        this.origins = List.copyOf(origins);
    }

    @Override
    public CompletionStage<Boolean> register(String app, String name, URI origin) {
        return CompletableFuture.completedFuture(false);
    }

    @Override
    public CompletionStage<Void> release(String app, String name) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<List<URI>> origins(String app, String name) {
        return CompletableFuture.completedFuture(origins.stream()
            .map(origin -> StreamDirectory.application(origin, app))
            .toList());
    }

    @Override
    public DirectorySnapshot snapshot() {
        return new DirectorySnapshot("static",
            origins.stream().map(URI::toString).collect(Collectors.joining(" ")), true, 0, 0);
    }

    @Override
    public void close() {
    }
}
