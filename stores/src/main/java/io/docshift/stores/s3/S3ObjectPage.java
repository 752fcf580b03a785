package io.docshift.stores.s3;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One page of an S3 listing ({@code ListObjectsV2}), in key order.
 *
 * @param objects the objects of this page (no metadata: listings carry none)
 * @param next the continuation token of the next page; empty on the last page
 */
public record S3ObjectPage(List<S3ObjectInfo> objects, Optional<String> next) {
  /** Validates and copies. */
  public S3ObjectPage {
    objects = List.copyOf(requireNonNull(objects, "objects"));
    requireNonNull(next, "next");
  }
}
