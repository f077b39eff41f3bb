package io.mediaurlingest.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;

import io.mediaurlingest.ErrorCode;
import io.mediaurlingest.job.JobFailure;
import org.junit.jupiter.api.Test;

/** The playlist reading an ingest needs, and each form it refuses with its reason. */
class HlsPlaylistTest {

    static final URI BASE = URI.create("https://cdn.example.com/show/ep1/index.m3u8");

    static JobFailure refusal(String playlist) {
        return catchThrowableOfType(JobFailure.class, () -> HlsPlaylist.media(BASE, playlist));
    }

    @Test
    void aMasterPlaylistsBestVariantAndItsDefaultAudioAreFound() {
        HlsPlaylist.Master master = HlsPlaylist.master(BASE, """
                #EXTM3U
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a1",NAME="Deutsch",DEFAULT=NO,URI="audio/de.m3u8"
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a1",NAME="English, US",DEFAULT=YES,URI="audio/en.m3u8"
                #EXT-X-STREAM-INF:BANDWIDTH=800000,CODECS="avc1.4d401f,mp4a.40.2",AUDIO="a1"
                low/index.m3u8
                #EXT-X-STREAM-INF:BANDWIDTH=5000000,RESOLUTION=1920x1080,CODECS="avc1.640028,mp4a.40.2",AUDIO="a1"
                /abs/high.m3u8
                """);

        assertThat(master.best().uri()).isEqualTo(URI.create("https://cdn.example.com/abs/high.m3u8"));
        assertThat(master.audioOf(master.best()).orElseThrow().uri())
                .isEqualTo(URI.create("https://cdn.example.com/show/ep1/audio/en.m3u8"));
    }

    @Test
    void segmentsKeysAndIvsAreRead() {
        HlsPlaylist.Media media = HlsPlaylist.media(BASE, """
                #EXTM3U
                #EXT-X-TARGETDURATION:4
                #EXT-X-MEDIA-SEQUENCE:7
                #EXT-X-KEY:METHOD=AES-128,URI="https://keys.example.com/k1",IV=0x000102030405060708090A0B0C0D0E0F
                #EXTINF:4.0,
                seg 7.ts
                #EXT-X-KEY:METHOD=AES-128,URI="k2"
                #EXTINF:3.5,title
                seg8.ts
                #EXT-X-KEY:METHOD=NONE
                #EXTINF:1.5,
                seg9.ts
                #EXT-X-ENDLIST
                """);

        assertThat(media.segments()).hasSize(3);
        assertThat(media.segments()).extracting(HlsPlaylist.Segment::duration).containsExactly(4.0, 3.5, 1.5);
        assertThat(media.segments().get(0).uri()).isEqualTo(URI.create("https://cdn.example.com/show/ep1/seg%207.ts"));
        assertThat(media.segments().get(0).iv()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        assertThat(media.segments().get(1).key().uri()).isEqualTo(URI.create("https://cdn.example.com/show/ep1/k2"));
        assertThat(media.segments().get(1).iv()).as("the sequence number, big-endian")
                .containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8);
        assertThat(media.segments().get(2).key().method()).isEqualTo("NONE");
    }

    @Test
    void whatCannotBecomeOneFileIsRefusedWithItsReason() {
        String live = "#EXTM3U\n#EXTINF:2,\na.ts\n";
        assertThat(refusal(live).getMessage()).contains("live");
        assertThat(refusal("#EXTM3U\n#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"k\"\n#EXTINF:2,\na.ts\n#EXT-X-ENDLIST\n").getMessage())
                .contains("SAMPLE-AES");
        assertThat(refusal("#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"skd://x\",KEYFORMAT=\"com.apple.streamingkeydelivery\"\n"
                + "#EXTINF:2,\na.ts\n#EXT-X-ENDLIST\n").getMessage()).contains("DRM");
        assertThat(refusal("#EXTM3U\n#EXTINF:2,\n#EXT-X-BYTERANGE:1000@0\na.ts\n#EXT-X-ENDLIST\n").getMessage())
                .contains("byte range");
        assertThat(refusal("#EXTM3U\n#EXT-X-ENDLIST\n").getMessage()).contains("no segments");
        assertThat(refusal("<html>not a playlist</html>").getMessage()).contains("#EXTM3U");
        assertThat(refusal("#EXTM3U\na.ts\n#EXT-X-ENDLIST\n").getMessage()).contains("#EXTINF");
        assertThat(refusal(live).errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        assertThat(HlsPlaylist.media(BASE, "#EXTM3U\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:2,\na.ts\n").segments())
                .as("a VOD playlist may leave out ENDLIST").hasSize(1);
    }

    @Test
    void segmentsOnOtherSchemesAreNotAllowed() {
        for (String uri : new String[] {"file:///etc/passwd", "ftp://cdn.example.com/a.ts", "gopher://x/a.ts",
                "jar:file:/x.jar!/a.ts"}) {
            JobFailure refused = refusal("#EXTM3U\n#EXTINF:2,\n" + uri + "\n#EXT-X-ENDLIST\n");
            assertThat(refused.errorCode()).as(uri).isEqualTo(ErrorCode.ADDRESS_NOT_ALLOWED);
        }
    }
}
