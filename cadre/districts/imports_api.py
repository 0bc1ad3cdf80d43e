"""The import API: roster and HR-data uploads (queued, as on the pages) and a bulk HR-data
endpoint for integrations (checked and written at once, all or nothing).

District administrators only, like the pages; a run of another district answers 404.
"""

import csv
import io

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework import serializers as drf
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from cadre.core.api import ScopedViewSetMixin
from cadre.core.tabular import encoding_name
from cadre.districts import access
from cadre.districts.models import ImportRun
from cadre.districts.serializers import Error
from cadre.districts.staffdata import FIELDS, import_staff_data, parse_mapping
from cadre.districts.tasks import import_run_start

REFUSALS = {400: Error, 403: Error, 404: Error}


class ProblemSerializer(drf.Serializer):
    file = drf.CharField()
    line = drf.IntegerField(allow_null=True)
    column = drf.CharField(allow_null=True)
    reason = drf.CharField()


class WarningSerializer(drf.Serializer):
    kind = drf.CharField()
    summary = drf.CharField()
    count = drf.IntegerField()
    examples = ProblemSerializer(many=True)


class ImportRunSerializer(drf.ModelSerializer):
    uploaded_by = drf.SerializerMethodField()
    stage = drf.CharField(source="live.stage", read_only=True)
    percent = drf.IntegerField(source="live.percent", read_only=True)
    problems = ProblemSerializer(many=True, read_only=True)
    warnings = WarningSerializer(many=True, read_only=True)
    summary = drf.DictField(read_only=True)

    class Meta:
        model = ImportRun
        fields = [
            "id",
            "kind",
            "original_name",
            "dry_run",
            "status",
            "stage",
            "percent",
            "summary",
            "problems",
            "warnings",
            "uploaded_by",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_uploaded_by(self, run) -> str | None:
        return str(run.uploaded_by) if run.uploaded_by else None


class ImportUpload(drf.Serializer):
    file = drf.FileField()
    kind = drf.ChoiceField(choices=ImportRun.Kind.choices, default=ImportRun.Kind.ROSTER)
    dry_run = drf.BooleanField(default=False)
    encoding = drf.CharField(required=False, allow_blank=True, default="")
    mapping = drf.ListField(
        child=drf.CharField(max_length=200),
        required=False,
        default=list,
        help_text='HR data only: "COLUMN=FIELD" for columns Cadre does not know.',
    )
    allow_mass_deactivation = drf.BooleanField(default=False)

    def validate_encoding(self, value: str) -> str:
        try:
            return encoding_name(value) if value.strip() else ""
        except ValueError as exc:
            raise drf.ValidationError(str(exc)) from exc

    def validate_mapping(self, value: list[str]) -> dict:
        try:
            return parse_mapping(value)
        except ValueError as exc:
            raise drf.ValidationError(str(exc)) from exc


@extend_schema_view(
    list=extend_schema(summary="Roster and HR-data imports, newest first"),
    retrieve=extend_schema(summary="One import: its progress, then its result"),
)
class ImportRunViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ImportRunSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ImportRun.objects.none()
        if self.action == "list":
            access.require(self.actor, "list", ImportRun)
        return (
            access.visible(self.actor, ImportRun)
            .select_related("uploaded_by")
            .prefetch_related("uploaded_by__staff_records")
        )

    @extend_schema(
        request={"multipart/form-data": ImportUpload},
        responses={201: ImportRunSerializer, **REFUSALS},
        summary="Upload a roster (.zip) or HR data (.csv); it is checked and imported in the "
        "background",
    )
    def create(self, request):
        access.require(self.actor, "create", ImportRun)
        body = ImportUpload(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        options = {"encoding": data["encoding"]}
        if data["kind"] == ImportRun.Kind.STAFF_DATA:
            options["mapping"] = data["mapping"]
        else:
            options["allow_mass_deactivation"] = data["allow_mass_deactivation"]
        run = import_run_start(
            district=self.actor.district,
            user=request.user,
            uploaded_file=data["file"],
            dry_run=data["dry_run"],
            kind=data["kind"],
            options=options,
        )
        return Response(self.get_serializer(run).data, status=status.HTTP_201_CREATED)


class StaffDataRequest(drf.Serializer):
    rows = drf.ListField(
        child=drf.DictField(child=drf.CharField(allow_blank=True, allow_null=True)),
        min_length=1,
        max_length=100_000,
        help_text=f"One object per person, with any of: {', '.join(FIELDS)}.",
    )
    dry_run = drf.BooleanField(default=False)

    def validate_rows(self, rows: list[dict]) -> list[dict]:
        unknown = sorted({k for row in rows for k in row} - set(FIELDS))
        if unknown:
            raise drf.ValidationError(
                f"Unknown field{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
                f"Use {', '.join(FIELDS)}."
            )
        for n, row in enumerate(rows):
            values = [v for v in row.values() if v]
            if not any(str(v).strip() for v in values):
                raise drf.ValidationError(f"Row {n} has no values.")
            if any("\n" in str(v) or "\r" in str(v) for v in values):
                raise drf.ValidationError(f"Row {n} has a value on more than one line.")
        return rows


class RowProblemSerializer(drf.Serializer):
    row = drf.IntegerField(allow_null=True, help_text="The row's index in `rows`, from 0.")
    column = drf.CharField(allow_null=True)
    reason = drf.CharField()


class StaffDataResult(drf.Serializer):
    ok = drf.BooleanField()
    dry_run = drf.BooleanField()
    summary = drf.DictField(child=drf.IntegerField())
    errors = RowProblemSerializer(many=True)
    warnings = WarningSerializer(many=True)


# Rows with problems answer the result; a body that is not rows at all, the usual error.
STAFF_DATA_REFUSED = PolymorphicProxySerializer(
    component_name="StaffDataRefused",
    serializers=[StaffDataResult, Error],
    resource_type_field_name=None,
)


class StaffDataViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """HR data for many staff at once: checked together, then written together or not at all.
    A re-send of the same rows changes nothing."""

    serializer_class = StaffDataRequest
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        request=StaffDataRequest,
        responses={200: StaffDataResult, 400: STAFF_DATA_REFUSED, 403: Error},
        summary="Set experience, hire dates, bargaining units, FTE and emails in bulk",
    )
    def create(self, request):
        access.require(self.actor, "create", ImportRun)
        body = StaffDataRequest(data=request.data)
        body.is_valid(raise_exception=True)
        rows = body.validated_data["rows"]
        columns = [f for f in FIELDS if any(f in row for row in rows)]
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else str(row.get(c)) for c in columns])
        source = io.BytesIO(text.getvalue().encode())
        result = import_staff_data(
            source,
            district=self.actor.district,
            dry_run=body.validated_data["dry_run"],
            actor=request.user,
            file_name="rows.csv",
        )

        def row_of(problem: dict) -> dict:
            line = problem["line"]
            return {
                "row": line - 2 if line and line > 1 else None,
                "column": problem["column"],
                "reason": problem["reason"],
            }

        warnings = result.report.warnings_json()
        for w in warnings:
            w["examples"] = [{**e, "file": "rows"} for e in w["examples"]]
        data = {
            "ok": result.ok,
            "dry_run": result.dry_run,
            "summary": result.summary,
            "errors": [row_of(p) for p in result.report.errors_json()],
            "warnings": warnings,
        }
        return Response(data, status=status.HTTP_200_OK if result.ok else 400)
