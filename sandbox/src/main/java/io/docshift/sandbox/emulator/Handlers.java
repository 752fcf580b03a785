package io.docshift.sandbox.emulator;

import io.netty.handler.codec.http.multipart.HttpDataFactory;

/**
 * The shared, thread-safe request handlers one emulator instance routes to.
 *
 * @param config emulator settings
 * @param dataFactory disk-spilling factory for upload bodies
 * @param upload upload API
 * @param destroy destroy API
 * @param moves rename and delete_by_token
 * @param admin admin API
 * @param download signed private download
 * @param delivery CDN delivery
 */
record Handlers(
    EmulatorConfig config,
    HttpDataFactory dataFactory,
    UploadHandler upload,
    DestroyHandler destroy,
    MoveHandler moves,
    AdminApiHandler admin,
    DownloadHandler download,
    CdnHandler delivery) {}
