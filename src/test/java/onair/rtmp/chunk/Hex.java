package onair.rtmp.chunk;

import io.netty.buffer.ByteBufUtil;

/** Golden vectors written as spaced hex, with {@code NxHH} for N repetitions of byte HH. */
final class Hex {

    private Hex() {
    }

    static byte[] bytes(String spaced) {
        StringBuilder hex = new StringBuilder();
        for (String token : spaced.trim().split("\\s+")) {
            int x = token.indexOf('x');
            hex.append(x < 0 ? token : token.substring(x + 1).repeat(Integer.parseInt(token.substring(0, x))));
        }
        return ByteBufUtil.decodeHexDump(hex.toString());
    }
}
