"""FHIR R4 read API for the IHE mCSD profile (``/fhir/``): Organization, Location,
HealthcareService and Device, from the published registry."""
