package io.docshift.traffic.revert;

/**
 * Acts on a trip: reads back to Cloudinary, writes out of {@code DUAL_S3_PRIMARY}, an audit event,
 * a WARN line, a metric. Called once per trip, on the thread that recorded the tripping call, so it
 * must not block (hand slow work to another thread). For a dry run it reports and changes nothing.
 */
@FunctionalInterface
public interface TripListener {
  void onTrip(Trip trip);
}
