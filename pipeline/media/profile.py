"""The attributes that identify a patient: DICOM PS3.15 Annex E, as data.

Table E.1-1 (the Basic Application Level Confidentiality Profile) lists every standard
attribute a de-identifier must protect, with an action: X remove, Z empty (or a dummy), D a
dummy value, U a new UID, and combinations chosen by the attribute's Type. Every attribute of
the table is here, in groups that say why it identifies (the group becomes the message).

What we ask of a figure is stricter than the profile in one way and trusts it in one:

- X, Z and D alike: the attribute must be absent or empty. A dummy name, date or ID cannot be
  told from a real one by reading it, so a value left in place is refused, whatever the
  action allowed. (An empty value is fine: that is how a Type 2 attribute stays conformant,
  and pydicom reads a Type 1 attribute left empty just as well.)
- U (the ``uid`` group, ``replaced=True``): a de-identifier replaces UIDs rather than removes
  them, so they are accepted when Patient Identity Removed (0012,0062) is ``YES``, the
  de-identifier's statement that it did so.

Beyond the table, as the profile's own notes advise: every person name (VR PN) and every
date and time (VR DA, DT, TM) counts by its value representation, private attributes
(odd groups) always count, and the repeating overlay and curve groups (60xx, 50xx) count by
their masks. Sequences are checked item by item; a sequence the table names counts whole.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Group:
    """Attributes that identify for one reason: the reason is the problem's message."""

    name: str
    reason: str
    keywords: tuple[str, ...]
    replaced: bool = False
    """True when the profile replaces them (U): accepted once PatientIdentityRemoved is YES."""


def _group(name: str, reason: str, keywords: str, *, replaced: bool = False) -> Group:
    return Group(name, reason, tuple(keywords.split()), replaced)


GROUPS: tuple[Group, ...] = (
    _group(
        "name",
        "names a person",
        """
        PatientName OtherPatientNames PatientBirthName PatientMotherBirthName ResponsiblePerson
        ReferringPhysicianName ReferringPhysicianIdentificationSequence
        ConsultingPhysicianName ConsultingPhysicianIdentificationSequence
        PhysiciansOfRecord PhysiciansOfRecordIdentificationSequence
        PerformingPhysicianName PerformingPhysicianIdentificationSequence
        NameOfPhysiciansReadingStudy PhysiciansReadingStudyIdentificationSequence
        OperatorsName OperatorIdentificationSequence CameraOwnerName
        RequestingPhysician ScheduledPerformingPhysicianName
        ScheduledPerformingPhysicianIdentificationSequence
        NamesOfIntendedRecipientsOfResults IntendedRecipientsOfResultsIdentificationSequence
        PersonIdentificationCodeSequence OrderEnteredBy ScheduledHumanPerformersSequence
        ActualHumanPerformersSequence HumanPerformerName VerifyingObserverSequence
        VerifyingObserverName AuthorObserverSequence ParticipantSequence
        VerifyingObserverIdentificationCodeSequence PersonName CurrentObserverTrial
        VerbalSourceTrial VerbalSourceIdentifierCodeSequenceTrial ContentCreatorName
        ContentCreatorIdentificationCodeSequence TopicAuthor ReviewerName
        InterpretationRecorder InterpretationTranscriber InterpretationAuthor
        InterpretationApproverSequence PhysicianApprovingInterpretation DistributionName
    """,
    ),
    _group(
        "id",
        "identifies the patient, the visit, the order or the study",
        """
        PatientID IssuerOfPatientID OtherPatientIDs OtherPatientIDsSequence
        ReferencedPatientSequence ReferencedPatientAliasSequence MedicalRecordLocator
        AccessionNumber StudyID StudyIDIssuer InsurancePlanIdentification
        ClinicalTrialProtocolID ClinicalTrialSiteID ClinicalTrialSubjectID
        ClinicalTrialSubjectReadingID ClinicalTrialTimePointID ClinicalTrialSeriesID
        ClinicalTrialProtocolEthicsCommitteeApprovalNumber
        FlowIdentifierSequence FlowIdentifier SourceIdentifier
        AdmissionID IssuerOfAdmissionID IssuerOfAdmissionIDSequence
        ServiceEpisodeID IssuerOfServiceEpisodeID IssuerOfServiceEpisodeIDSequence
        PerformedProcedureStepID RequestedProcedureID
        PlacerOrderNumberImagingServiceRequest FillerOrderNumberImagingServiceRequest
        SpecimenAccessionNumber SpecimenIdentifier IssuerOfTheSpecimenIdentifierSequence
        ContainerIdentifier IssuerOfTheContainerIdentifierSequence ContainerComponentID
        SlideIdentifier BarcodeValue ResultsIDIssuer InterpretationIDIssuer
    """,
    ),
    _group(
        "date",
        "gives a date or time of the patient or the examination",
        """
        PatientBirthDate PatientBirthTime LastMenstrualDate TimezoneOffsetFromUTC
        StudyDate StudyTime SeriesDate SeriesTime AcquisitionDate AcquisitionTime
        AcquisitionDateTime ContentDate ContentTime InstanceCoercionDateTime
        OverlayDate OverlayTime CurveDate CurveTime
        StartAcquisitionDateTime EndAcquisitionDateTime FrameOriginTimestamp
        SourceStartDateTime SourceEndDateTime ImpedanceMeasurementDateTime
        AdmittingDate AdmittingTime
        ScheduledProcedureStepStartDate ScheduledProcedureStepStartTime
        ScheduledProcedureStepEndDate ScheduledProcedureStepEndTime
        PerformedProcedureStepStartDate PerformedProcedureStepStartTime
        PerformedProcedureStepEndDate PerformedProcedureStepEndTime
        ScheduledProcedureStepStartDateTime ScheduledProcedureStepExpirationDateTime
        ScheduledProcedureStepModificationDateTime ExpectedCompletionDateTime
        PerformedProcedureStepStartDateTime PerformedProcedureStepEndDateTime
        ProcedureStepCancellationDateTime ObservationDateTrial ObservationTimeTrial
        FirstTreatmentDate MostRecentTreatmentDate TreatmentDate TreatmentTime
        RTPlanDate RTPlanTime TreatmentToleranceViolationDateTime
        RecordedRTControlPointDateTime InterlockDateTime OverrideDateTime
        IntendedPhaseStartDate IntendedPhaseEndDate
    """,
    ),
    _group(
        "contact",
        "gives an address or a telephone number",
        """
        PatientAddress PatientTelephoneNumbers PatientTelecomInformation
        CountryOfResidence RegionOfResidence
        PatientInstitutionResidence ScheduledPatientInstitutionResidence
        InstitutionAddress ReferringPhysicianAddress ReferringPhysicianTelephoneNumbers
        PersonAddress PersonTelephoneNumbers PersonTelecomInformation
        OrderCallbackPhoneNumber OrderCallbackTelecomInformation
        AddressTrial TelephoneNumberTrial DistributionAddress
    """,
    ),
    _group(
        "patient",
        "describes the patient (age, sex, size, weight, history)",
        """
        PatientAge PatientSex PatientSexNeutered PatientSize PatientWeight
        EthnicGroup Occupation PatientReligiousPreference SmokingStatus PregnancyStatus
        MedicalAlerts Allergies SpecialNeeds PatientState PreMedication
        PatientTransportArrangements MilitaryRank BranchOfService
        PatientInsurancePlanCodeSequence PatientPrimaryLanguageCodeSequence
        PatientPrimaryLanguageModifierCodeSequence ReferencedPatientPhotoSequence
    """,
    ),
    _group(
        "institution",
        "names where or by whom the patient was imaged",
        """
        InstitutionName InstitutionCodeSequence InstitutionalDepartmentName
        InstitutionalDepartmentTypeCodeSequence StationName ResponsibleOrganization
        ClinicalTrialSponsorName ClinicalTrialSiteName ClinicalTrialCoordinatingCenterName
        ClinicalTrialProtocolEthicsCommitteeName
        ScheduledStudyLocation ScheduledStudyLocationAETitle RequestingService
        CurrentPatientLocation ScheduledStationAETitle ScheduledStationName
        ScheduledProcedureStepLocation PerformedStationAETitle PerformedStationName
        PerformedLocation RequestedProcedureLocation OrderEntererLocation
        ScheduledStationNameCodeSequence ScheduledStationGeographicLocationCodeSequence
        PerformedStationNameCodeSequence PerformedStationGeographicLocationCodeSequence
        HumanPerformerOrganization VerifyingOrganization CustodialOrganizationSequence
    """,
    ),
    _group(
        "place",
        "gives where the image was made (GPS)",
        """
        GPSVersionID GPSLatitudeRef GPSLatitude GPSLongitudeRef GPSLongitude
        GPSAltitudeRef GPSAltitude GPSTimeStamp GPSSatellites GPSStatus GPSMeasureMode
        GPSDOP GPSSpeedRef GPSSpeed GPSTrackRef GPSTrack GPSImgDirectionRef
        GPSImgDirection GPSMapDatum GPSDestLatitudeRef GPSDestLatitude
        GPSDestLongitudeRef GPSDestLongitude GPSDestBearingRef GPSDestBearing
        GPSDestDistanceRef GPSDestDistance GPSProcessingMethod GPSAreaInformation
        GPSDateStamp GPSDifferential
    """,
    ),
    _group(
        "device",
        "identifies the device that made the image",
        """
        DeviceSerialNumber DeviceLabel DeviceDescription LongDeviceDescription
        DeviceAlternateIdentifier ManufacturerDeviceIdentifier UniqueDeviceIdentifier
        UDISequence DetectorID XRayDetectorID XRayDetectorLabel XRaySourceID
        PlateID GeneratorID CassetteID GantryID ModifyingDeviceID
        MakerNote DeviceSettingDescription LensSpecification LensMake LensModel
        LensSerialNumber SourceSerialNumber SourceManufacturer TreatmentMachineName
        FixationDeviceDescription ShieldingDeviceDescription
        RTAccessoryHolderSlotID RTAccessoryDeviceSlotID
    """,
    ),
    _group(
        "text",
        "is free text or a description, which may quote identifying details",
        """
        StudyDescription SeriesDescription ProtocolName ImageComments FrameComments
        ImagePresentationComments StudyComments VisitComments PatientComments
        AdditionalPatientHistory IdentifyingComments AcquisitionComments
        DerivationDescription ModifiedImageDescription ContrastBolusAgent
        AcquisitionDeviceProcessingDescription AcquisitionProtocolDescription
        RespiratoryMotionCompensationTechniqueDescription MultienergyAcquisitionDescription
        DecompositionDescription ContributionDescription
        AdmittingDiagnosesDescription AdmittingDiagnosesCodeSequence
        DischargeDiagnosisDescription ServiceEpisodeDescription
        ReferencedStudySequence ReferencedPerformedProcedureStepSequence
        ClinicalTrialProtocolName ClinicalTrialTimePointDescription
        ClinicalTrialSeriesDescription ReasonForStudy ReasonForVisit
        ReasonForVisitCodeSequence RequestedProcedureDescription RequestedContrastAgent
        ScheduledProcedureStepDescription PerformedProcedureStepDescription
        RequestAttributesSequence CommentsOnThePerformedProcedureStep
        ReasonForTheRequestedProcedure ReasonForRequestedProcedureCodeSequence
        RequestedProcedureComments ReasonForTheImagingServiceRequest
        ImagingServiceRequestComments ConfidentialityConstraintOnPatientDataDescription
        AcquisitionContextSequence ContainerDescription SpecimenShortDescription
        SpecimenDetailedDescription SpecimenPreparationSequence
        ContentSequence GraphicAnnotationSequence TextString LabelText
        TopicTitle TopicSubject TopicKeywords TextComments InterpretationText
        InterpretationDiagnosisDescription ResultsDistributionListSequence Impressions
        ResultsComments
        RTPlanLabel RTPlanName RTPlanDescription PrescriptionDescription
        DoseReferenceDescription FractionGroupDescription BeamDescription
        BolusDescription SetupTechniqueDescription CompensatorDescription
        TreatmentPositionGroupLabel RadiationDoseIdentificationLabel
        RadiationDoseInVivoMeasurementLabel RTToleranceSetLabel
        EquipmentFrameOfReferenceDescription RadiationGenerationModeLabel
        RadiationGenerationModeDescription TreatmentToleranceViolationDescription
        InterlockDescription InterlockOriginDescription ReasonForOmissionDescription
        ConceptualVolumeCombinationDescription ConceptualVolumeDescription
        UserContentLabel UserContentLongLabel EntityLabel EntityName EntityDescription
        EntityLongLabel RTPrescriptionLabel RTTreatmentApproachLabel
        RTPhysicianIntentNarrative ReasonForSuperseding PriorTreatmentDoseDescription
        TreatmentSite TreatmentTechniqueNotes PrescriptionNotes FractionationNotes
        PrescriptionNotesSequence
    """,
    ),
    _group(
        "other",
        "may carry identifying data (a thumbnail, original values, signatures)",
        """
        IconImageSequence OriginalAttributesSequence ModifiedAttributesSequence
        DigitalSignaturesSequence ReferencedDigitalSignatureSequence
        ReferencedSOPInstanceMACSequence MAC InstanceOriginStatus Arbitrary
        DataSetTrailingPadding
    """,
    ),
    _group(
        "graphics",
        "is an overlay or curve, which may draw identifying text",
        """
        OverlayData OverlayComments CurveData
    """,
    ),
    _group("private", "is a private attribute, which the profile removes", ""),
    _group(
        "uid",
        "keeps an original UID (replace the UIDs, then set PatientIdentityRemoved to YES)",
        """
        StudyInstanceUID SeriesInstanceUID SOPInstanceUID MediaStorageSOPInstanceUID
        FrameOfReferenceUID SynchronizationFrameOfReferenceUID InstanceCreatorUID
        ReferencedImageSequence SourceImageSequence ReferencedSOPInstanceUID
        ReferencedSOPInstanceUIDInFile AffectedSOPInstanceUID RequestedSOPInstanceUID
        FailedSOPInstanceUIDList TransactionUID IrradiationEventUID DeviceUID
        ManufacturerDeviceClassUID TargetUID ConcatenationUID DimensionOrganizationUID
        PaletteColorLookupTableUID LargePaletteColorLookupTableUID MultiplexGroupUID
        SpecimenUID ReferencedGeneralPurposeScheduledProcedureStepTransactionUID UID
        ObservationUID ReferencedObservationUIDTrial ObservationSubjectUIDTrial
        TemplateExtensionOrganizationUID TemplateExtensionCreatorUID TrackingUID
        FiducialUID PresentationDisplayCollectionUID PresentationSequenceCollectionUID
        StorageMediaFileSetUID DigitalSignatureUID ReferencedFrameOfReferenceUID
        RelatedFrameOfReferenceUID DoseReferenceUID ReferencedDoseReferenceUID
        TreatmentPositionGroupUID PatientSetupUID TreatmentSessionUID
        ConceptualVolumeUID ReferencedConceptualVolumeUID ConstituentConceptualVolumeUID
        SourceConceptualVolumeUID ReferencedFiducialsUID RTTreatmentPhaseUID
        DosimetricObjectiveUID ReferencedDosimetricObjectiveUID
        """,
        replaced=True,
    ),
)
"""Table E.1-1's attributes by why they identify; the order is the order of the problems."""

BY_VR = {"PN": "name", "DA": "date", "DT": "date", "TM": "date"}
"""Value representations that identify wherever they occur (Annex E, note 4 of E.1)."""

REPEATING: tuple[tuple[int, int, str], ...] = (
    (0xFF00FFFF, 0x60003000, "OverlayData"),
    (0xFF00FFFF, 0x60004000, "OverlayComments"),
    (0xFF000000, 0x50000000, "CurveData"),
)
"""(mask, tag, keyword) of the table's repeating groups: (60xx,3000), (60xx,4000), (50xx,xxxx)."""

GROUP_OF: dict[str, Group] = {keyword: g for g in GROUPS for keyword in g.keywords}
"""Each keyword of the table and its group."""
GROUP_NAMED: dict[str, Group] = {g.name: g for g in GROUPS}
