package com.registryservice.gc;

import com.registryservice.support.S3Storage;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same garbage collection on real bytes, with the bytes in S3 (S3Proxy): the bucket shrinks by what a run frees. */
@QuarkusTest
@TestProfile(S3Storage.class)
class CollectingS3BytesTest extends CollectingBytesTest {
}
