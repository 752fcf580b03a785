package io.docshift.sandbox.seed;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Walks a corpus one document at a time from a single seeded random stream, so the sequence is a
 * pure function of the seed and a longer corpus extends a shorter one. State is one owner (a
 * professional or a facility) and the queue of that owner's remaining document kinds, so memory
 * stays flat however many documents are drawn.
 *
 * <p>Public ids are unique: owners are numbered in order per owner class, numbers map one-to-one to
 * six-digit ids ({@link OwnerIds}), and an owner never gets the same kind twice. An owner has at
 * least one document, so a corpus of at most {@link #MAX_DOCUMENTS} never runs out of ids.
 */
final class CorpusPlanner implements Iterator<SeedDocument> {
  static final int MAX_DOCUMENTS = OwnerIds.SPACE;

  private static final int FACILITY_PERCENT = 15;
  private static final int RAW_PDF_PERCENT = 20;
  private static final int COLOR_JPEG_PERCENT = 70;
  private static final int FIRST_YEAR = 2019;
  private static final int YEARS = 7;

  private final SplittableRandom random;
  private final SizeProfile profile;
  private final int count;
  private final Map<DocumentKind.Owner, List<DocumentKind>> kindsByOwner =
      new EnumMap<>(DocumentKind.Owner.class);
  private final Map<DocumentKind.Owner, OwnerIds> idsByOwner =
      new EnumMap<>(DocumentKind.Owner.class);
  private final int[] ownersStarted = new int[DocumentKind.Owner.values().length];
  private final ArrayDeque<DocumentKind> pending = new ArrayDeque<>();
  private String ownerId;
  private int produced;

  CorpusPlanner(long seed, int count, SizeProfile profile) {
    this.random = new SplittableRandom(seed);
    this.profile = profile;
    this.count = count;
    for (DocumentKind.Owner owner : DocumentKind.Owner.values()) {
      kindsByOwner.put(owner, owner.kinds());
      idsByOwner.put(owner, new OwnerIds(random.nextLong()));
    }
  }

  @Override
  public boolean hasNext() {
    return produced < count;
  }

  @Override
  public SeedDocument next() {
    if (!hasNext()) {
      throw new NoSuchElementException("corpus of " + count + " documents exhausted");
    }
    if (pending.isEmpty()) {
      startOwner();
    }
    produced++;
    return document(pending.poll());
  }

  private void startOwner() {
    DocumentKind.Owner owner =
        random.nextInt(100) < FACILITY_PERCENT
            ? DocumentKind.Owner.FACILITY
            : DocumentKind.Owner.PROFESSIONAL;
    int number = ownersStarted[owner.ordinal()]++;
    ownerId =
        owner.idPrefix() + String.format(Locale.ROOT, "%06d", idsByOwner.get(owner).id(number));
    List<DocumentKind> kinds = new ArrayList<>(kindsByOwner.get(owner));
    int portfolio = 1 + random.nextInt(owner == DocumentKind.Owner.FACILITY ? 4 : 5);
    for (int i = 0; i < portfolio; i++) {
      pending.add(kinds.remove(random.nextInt(kinds.size())));
    }
  }

  private SeedDocument document(DocumentKind kind) {
    int year = FIRST_YEAR + random.nextInt(YEARS);
    Media media = kind.pickMedia(random);
    boolean raw = media == Media.PDF && random.nextInt(100) < RAW_PDF_PERCENT;
    String type = deliveryType(random.nextInt(100));
    long length = profile.sample(random);
    boolean color = media == Media.JPG && random.nextInt(100) < COLOR_JPEG_PERCENT;
    Recipe recipe = Recipe.plan(kind, ownerId, year, media, color, length, random.nextLong());
    String publicId = kind.folder() + "/" + ownerId + "/" + kind.slug(year);
    if (raw) {
      return new SeedDocument("raw", type, publicId + ".pdf", null, recipe);
    }
    return new SeedDocument("image", type, publicId, media.format(), recipe);
  }

  /** 60 % public uploads, 25 % private, 15 % authenticated. */
  private static String deliveryType(int percentile) {
    if (percentile < 60) {
      return "upload";
    }
    return percentile < 85 ? "private" : "authenticated";
  }
}
