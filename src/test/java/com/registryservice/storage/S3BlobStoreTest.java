package com.registryservice.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.registryservice.storage.BlobStore.UploadState;
import com.registryservice.support.S3ProxyServer;

import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The S3 store against the blob-store contract and its own promises, on S3Proxy (a real S3 API, not a mock). */
class S3BlobStoreTest extends BlobStoreContract {

    private static final String BUCKET = "contract";
    private static final int PART = (int) S3BlobStore.MIN_PART_SIZE;
    /** As the service has it by default. */
    private static final Duration ANSWER = Duration.ofSeconds(10);
    private static S3ProxyServer s3;
    private static S3AsyncClient client;

    /** Each test's objects under a prefix of their own. */
    private String prefix;

    @BeforeAll
    static void startS3() {
        s3 = S3ProxyServer.start(BUCKET);
        client = s3.client();
    }

    @AfterAll
    static void stopS3() {
        client.close();
        s3.close();
    }

    @Override
    protected BlobStore createStore() {
        if (prefix == null) {
            prefix = "test-" + UUID.randomUUID() + "/";
        }
        return new S3BlobStore(vertx, client, Optional.empty(), Duration.ofMinutes(1), BUCKET, prefix, PART, 4L * PART,
                ANSWER);
    }

    @Override
    protected void assertNothingLeftOf(String upload) {
        String dir = prefix + "uploads/" + upload + "/";
        assertEquals(java.util.Map.of(), s3.objects(BUCKET, dir), "no object of the upload is left");
        assertEquals(0, s3.openMultipartUploads(BUCKET, dir), "its multipart upload was aborted");
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(60));
    }

    private static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    private String commitBlob(BlobStore store, byte[] data) throws Exception {
        String registry = "registry-" + UUID.randomUUID();
        String upload = registry + "/" + UUID.randomUUID();
        UploadState state = await(store.append(upload, UploadState.EMPTY, stream(data), b -> { }));
        await(store.seal(upload, state));
        String key = registry + "/sha256/ff/" + UUID.randomUUID();
        await(store.commit(upload, key));
        return key;
    }

    @Test
    void aBlobLargerThanOneCopyIsCopiedInPartsInsideS3() throws Exception {
        BlobStore store = new S3BlobStore(vertx, client, Optional.empty(), Duration.ofMinutes(1), BUCKET,
                "copy-" + UUID.randomUUID(), PART, 4L * PART, ANSWER, PART + 1, PART);
        byte[] data = random(2 * PART + 1000);
        String key = commitBlob(store, data);
        assertEquals(Optional.of((long) data.length), await(store.size(key)));
        Collector out = new Collector();
        await(store.read(key, 0, data.length, out));
        assertArrayEquals(data, out.bytes.getBytes());
    }

    @Test
    void withRedirectsABlobHasAPreSignedUrlThatServesItsBytes() throws Exception {
        S3Presigner presigner = S3Presigner.builder().region(Region.US_EAST_1).endpointOverride(s3.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
        BlobStore store = new S3BlobStore(vertx, client, Optional.of(presigner), Duration.ofMinutes(1), BUCKET,
                "signed-" + UUID.randomUUID(), PART, 4L * PART, ANSWER);
        byte[] data = random(1000);
        String key = commitBlob(store, data);
        String url = await(store.directUrl(key)).orElseThrow();
        HttpResponse<byte[]> fetched = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, fetched.statusCode());
        assertArrayEquals(data, fetched.body());
        presigner.close();
    }

    @Test
    void whileS3IsDownCallsFailFastAsUnavailableAndWorkAgainWhenItIsBack() throws Exception {
        BlobStore store = createStore();
        String key = commitBlob(store, random(100));
        s3.stopProcess();
        try {
            long started = System.nanoTime();
            Throwable failure = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                    () -> await(store.size(key)));
            assertInstanceOf(StorageUnavailable.class, failure);
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(20)) < 0,
                    "it fails within seconds, not after a long timeout");
        } finally {
            s3.startProcess();
        }
        assertEquals(Optional.of(100L), await(store.size(key)));
    }
}
