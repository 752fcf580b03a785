package io.docshift.sandbox.seed;

import static io.docshift.sandbox.seed.DocumentKind.Folder.CERTIFICATIONS;
import static io.docshift.sandbox.seed.DocumentKind.Folder.COMPLIANCE;
import static io.docshift.sandbox.seed.DocumentKind.Folder.CREDENTIALS;
import static io.docshift.sandbox.seed.DocumentKind.Folder.SCANS;
import static io.docshift.sandbox.seed.MediaMix.CARD;
import static io.docshift.sandbox.seed.MediaMix.CERTIFICATE;
import static io.docshift.sandbox.seed.MediaMix.FORM;
import static io.docshift.sandbox.seed.MediaMix.ID_SCAN;
import static io.docshift.sandbox.seed.MediaMix.MOSTLY_PDF;
import static io.docshift.sandbox.seed.MediaMix.PDF_ONLY;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The kinds of healthcare document a store holds: folder, last public_id segment ({@code %d} is the
 * year, for documents renewed yearly), shape of the original, how it tends to arrive, and the title
 * printed on it.
 */
enum DocumentKind {
  NURSING_LICENSE(CREDENTIALS, "nursing-license-%d", Shape.PORTRAIT, MOSTLY_PDF, "RN License"),
  MEDICAL_LICENSE(CREDENTIALS, "medical-license-%d", Shape.PORTRAIT, MOSTLY_PDF, "MD License"),
  DEA_REGISTRATION(
      CREDENTIALS, "dea-registration-%d", Shape.PORTRAIT, MOSTLY_PDF, "DEA Registration"),
  BOARD_CERTIFICATION(
      CREDENTIALS, "board-certification-%d", Shape.LANDSCAPE, CERTIFICATE, "Board Certification"),
  NPI_CONFIRMATION(CREDENTIALS, "npi-confirmation", Shape.PORTRAIT, PDF_ONLY, "NPI Confirmation"),
  NURSING_DIPLOMA(CREDENTIALS, "nursing-diploma", Shape.LANDSCAPE, CERTIFICATE, "Nursing Diploma"),
  BLS_CARD(CERTIFICATIONS, "bls-card", Shape.CARD, CARD, "Basic Life Support Provider"),
  ACLS_CARD(CERTIFICATIONS, "acls-card", Shape.CARD, CARD, "Advanced Cardiac Life Support"),
  PALS_CARD(CERTIFICATIONS, "pals-card", Shape.CARD, CARD, "Pediatric Advanced Life Support"),
  TB_TEST(CERTIFICATIONS, "tb-test-%d", Shape.PORTRAIT, FORM, "Tuberculin Skin Test Result"),
  FLU_VACCINATION(
      CERTIFICATIONS, "flu-vaccination-%d", Shape.PORTRAIT, FORM, "Influenza Vaccination Record"),
  HEPATITIS_B_TITER(
      CERTIFICATIONS, "hepatitis-b-titer", Shape.PORTRAIT, MOSTLY_PDF, "Hepatitis B Titer"),
  COVID_VACCINATION_CARD(
      CERTIFICATIONS, "covid-vaccination-card", Shape.CARD, CARD, "COVID-19 Vaccination Record"),
  DRIVERS_LICENSE_FRONT(SCANS, "drivers-license-front", Shape.CARD, ID_SCAN, "Driver License"),
  DRIVERS_LICENSE_BACK(SCANS, "drivers-license-back", Shape.CARD, ID_SCAN, "Driver License"),
  PASSPORT_PHOTO_PAGE(SCANS, "passport-photo-page", Shape.CARD, ID_SCAN, "Passport"),
  SOCIAL_SECURITY_CARD(SCANS, "social-security-card", Shape.CARD, ID_SCAN, "Social Security"),
  I9_FORM(SCANS, "i9-form", Shape.PORTRAIT, FORM, "Employment Eligibility Verification"),
  HIPAA_TRAINING(COMPLIANCE, "hipaa-training-%d", Shape.PORTRAIT, PDF_ONLY, "HIPAA Training"),
  OSHA_BLOODBORNE_PATHOGENS(
      COMPLIANCE, "osha-bloodborne-pathogens-%d", Shape.PORTRAIT, PDF_ONLY, "OSHA Bloodborne"),
  FIRE_SAFETY_INSPECTION(
      COMPLIANCE, "fire-safety-inspection-%d", Shape.PORTRAIT, MOSTLY_PDF, "Fire Inspection"),
  CLIA_CERTIFICATE(COMPLIANCE, "clia-certificate", Shape.LANDSCAPE, CERTIFICATE, "CLIA Waiver"),
  JOINT_COMMISSION_ACCREDITATION(
      COMPLIANCE,
      "joint-commission-accreditation-%d",
      Shape.LANDSCAPE,
      CERTIFICATE,
      "Accreditation"),
  INFECTION_CONTROL_POLICY(
      COMPLIANCE, "infection-control-policy-%d", Shape.PORTRAIT, PDF_ONLY, "Infection Control"),
  STATE_SURVEY_REPORT(
      COMPLIANCE, "state-survey-report-%d", Shape.PORTRAIT, MOSTLY_PDF, "State Survey Report");

  /** Who a document belongs to, which decides its owner id prefix. */
  enum Owner {
    PROFESSIONAL("prof-"),
    FACILITY("fac-");

    private final String idPrefix;

    Owner(String idPrefix) {
      this.idPrefix = idPrefix;
    }

    String idPrefix() {
      return idPrefix;
    }

    /** The kinds of this owner, in declaration order. */
    List<DocumentKind> kinds() {
      return Arrays.stream(DocumentKind.values()).filter(kind -> kind.owner() == this).toList();
    }
  }

  /** Top-level folders of the store; professionals' documents and facilities' are kept apart. */
  enum Folder {
    CREDENTIALS(Owner.PROFESSIONAL),
    CERTIFICATIONS(Owner.PROFESSIONAL),
    SCANS(Owner.PROFESSIONAL),
    COMPLIANCE(Owner.FACILITY);

    private final Owner owner;

    Folder(Owner owner) {
      this.owner = owner;
    }

    String path() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Folder folder;
  private final String slugPattern;
  private final Shape shape;
  private final MediaMix mix;
  private final String title;

  DocumentKind(Folder folder, String slugPattern, Shape shape, MediaMix mix, String title) {
    this.folder = folder;
    this.slugPattern = slugPattern;
    this.shape = shape;
    this.mix = mix;
    this.title = title;
  }

  Owner owner() {
    return folder.owner;
  }

  String folder() {
    return folder.path();
  }

  Shape shape() {
    return shape;
  }

  String title() {
    return title;
  }

  /** The last public_id segment; year-stamped kinds (renewals) carry {@code year}. */
  String slug(int year) {
    return slugPattern.contains("%d") ? String.format(Locale.ROOT, slugPattern, year) : slugPattern;
  }

  /** Picks how this document arrived, by the kind's media mix. */
  Media pickMedia(SplittableRandom random) {
    return mix.pick(random);
  }
}
