package onair.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import onair.media.MediaFrame.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class MediaFrameTest {

    private final List<ByteBuf> made = new ArrayList<>();
    private final MediaFrame frame = MediaFrame.of(Kind.VIDEO, 1000, Unpooled.wrappedBuffer(new byte[] {0x17, 0x01}));

    private final Function<MediaFrame, ByteBuf> encoder = f -> {
        ByteBuf encoding = Unpooled.copiedBuffer("encoding " + made.size(), StandardCharsets.US_ASCII);
        made.add(encoding);
        return encoding;
    };

    @AfterEach
    void everyBufferWasReleased() {
        if (frame.refCnt() > 0) {
            frame.release();
        }
        assertThat(frame.payload().refCnt()).as("payload").isZero();
        assertThat(made).allSatisfy(encoding -> assertThat(encoding.refCnt()).isZero());
    }

    @Test
    void encodedMakesTheEncodingOncePerKeyAndSharesIt() {
        ByteBuf first = frame.encoded("chunk size 4096", encoder);
        ByteBuf second = frame.encoded("chunk size 4096", encoder);

        assertThat(made).hasSize(1);
        assertThat(second).isSameAs(first);
        assertThat(first.refCnt()).as("only the frame's own reference").isEqualTo(1);
    }

    @Test
    void differentKeysGetDifferentEncodings() {
        ByteBuf small = frame.encoded(128, encoder);
        ByteBuf large = frame.encoded(4096, encoder);

        assertThat(made).hasSize(2);
        assertThat(large).isNotSameAs(small);
        assertThat(small.toString(StandardCharsets.US_ASCII)).isEqualTo("encoding 0");
        assertThat(large.toString(StandardCharsets.US_ASCII)).isEqualTo("encoding 1");
    }

    @Test
    void everyKeyIsEncodedOnceHoweverManyThereAre() {
        for (int round = 0; round < 2; round++) {
            for (int key = 0; key < 6; key++) {
                frame.encoded(key, encoder);
            }
        }

        assertThat(made).hasSize(6);
    }

    @Test
    void releasingTheFrameReleasesItsCachedEncodings() {
        frame.encoded("a", encoder);
        ByteBuf held = frame.encoded("b", encoder).retainedDuplicate();

        frame.release();

        assertThat(made.get(0).refCnt()).isZero();
        assertThat(held.refCnt()).as("a caller's own reference outlives the frame").isEqualTo(1);
        held.release();
    }

    @Test
    void withTimestampSharesThePayloadAndNotTheEncodings() {
        frame.encoded("a", encoder);
        MediaFrame restamped = frame.withTimestamp(2000);

        assertThat(restamped.timestamp()).isEqualTo(2000);
        assertThat(frame.timestamp()).isEqualTo(1000);
        assertThat(restamped.header()).isEqualTo(frame.header());
        assertThat(restamped.payload().unwrap()).isSameAs(frame.payload());
        assertThat(frame.payload().refCnt()).isEqualTo(2);

        frame.release();
        assertThat(made.getFirst().refCnt()).isZero();
        assertThat(restamped.payload().getByte(0)).isEqualTo((byte) 0x17);
        restamped.encoded("a", encoder);
        assertThat(made).hasSize(2);
        restamped.release();
    }
}
