from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone
from django_scopes.state import state
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.response import Response

from cadre.core.actors import actor_for, districts_for, require
from cadre.core.errors import DomainError
from cadre.core.openapi import Error

# Names the district of a call, by its slug, for a login with staff records in several.
DISTRICT_HEADER = "X-Cadre-District"


def _yours(districts) -> str:
    return "Yours: " + ", ".join(f"{d.slug} ({d.name})" for d in districts) + "."


class ScopedViewSetMixin:
    """Runs the view inside the caller's district scope once DRF has authenticated them.

    Token-authenticated calls are only known after authentication, which happens inside the
    view, so the scope cannot come from middleware alone.
    """

    actor = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.actor = self._actor(request)
        if self.actor is None:
            raise exceptions.NotAuthenticated("An active staff record is required.")
        current = dict(state.get() or {})
        current.update({"_enabled": True, "district": self.actor.district.pk})
        self._scope_token = state.set(current)
        # Times in and out are the district's, for token calls as for pages.
        self._time_zone = timezone.get_current_timezone()
        timezone.activate(self.actor.district.tz)

    def _actor(self, request):
        """A session call has its actor (the district chosen on sign-in) from the middleware; a
        token call names its district in the header when the person works in several."""
        named = request.headers.get(DISTRICT_HEADER)
        known = getattr(request._request, "actor", None)
        if named is None and known and known.user.pk == request.user.pk:
            return known
        if named is not None:
            actor = actor_for(request.user, district_slug=named.strip())
            if actor is None and (districts := districts_for(request.user)):
                raise DomainError(
                    "district_header.unknown",
                    f"The {DISTRICT_HEADER} header names none of your districts. "
                    + _yours(districts),
                )
            return actor
        actor = actor_for(request.user)
        if actor is None and len(districts := districts_for(request.user)) > 1:
            raise DomainError(
                "district_header.choose",
                f"You work in more than one district: name one in the {DISTRICT_HEADER} "
                f"header. {_yours(districts)}",
            )
        return actor

    def finalize_response(self, request, response, *args, **kwargs):
        token = getattr(self, "_scope_token", None)
        if token is not None:
            state.reset(token)
            self._scope_token = None
            timezone.activate(self._time_zone)
        return super().finalize_response(request, response, *args, **kwargs)


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    http_method_names = ["get", "post", "patch", "head", "options"]


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


# --- the district resource: the base of every app's ViewSets ---------------------------------

# A refusal answers {"code", "detail"}: 400 bad input, 403 not yours to do, 404 not there for
# you, 409 a step the record's state does not allow (cadre.core.drf maps the domain errors).
REFUSALS = {400: Error, 403: Error, 404: Error, 409: Error}


def documented(serializer, query, name: str) -> Any:
    """The OpenAPI description of one resource's endpoints."""
    return extend_schema_view(
        list=extend_schema(parameters=[query], summary=f"List {name}"),
        retrieve=extend_schema(summary=f"One of the {name}"),
        create=extend_schema(responses={201: serializer, **REFUSALS}),
        partial_update=extend_schema(responses={200: serializer, **REFUSALS}),
    )


class DistrictResourceViewSet(ScopedModelViewSet):
    """Reads come from a selector, writes go through a service; access decides both.

    - A row outside the caller's district or scope is not there (404); a visible row the caller
      may not act on answers 403, before the body is read, so validation tells them nothing.
    - `object_actions` maps an API action to the access right it needs on the object; an
      action mapped to None needs visibility alone, and an unmapped one the strictest right.
    - `list_right`, when set, is asked of the model before a list reads its parameters: a
      teacher asking for /budgets/ is refused rather than shown an empty list.
    """

    model: type[Model]
    query_class: type[serializers.Serializer]
    order: dict[str, list[str]]
    change_serializer_class: Any = None
    list_right: str | None = "list"
    # The selectors filter; DRF's filter backends would be a second, unvalidated way in.
    filter_backends = ()
    object_actions: dict[str, str | None] = {"retrieve": "view", "partial_update": "change"}

    def everything(self) -> QuerySet:
        """Every row the caller may reach by id, shaped as the list shows it."""
        raise NotImplementedError

    def listed(self, params: dict[str, Any]) -> QuerySet:
        """The rows the list shows for validated query parameters."""
        raise NotImplementedError

    def create_with(self, data: dict[str, Any]) -> Model:
        raise NotImplementedError

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        raise NotImplementedError

    def get_serializer_class(self):
        if self.action == "partial_update" and self.change_serializer_class is not None:
            return self.change_serializer_class
        return self.serializer_class

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no caller
            return self.model.objects.none()
        if self.action != "list":
            # List filters (active=true by default) must not hide a row from its own URL.
            return self.everything()
        query = self.query_class(data=self.request.query_params.dict())
        query.is_valid(raise_exception=True)
        params = dict(query.validated_data)
        order = self.order[params.pop("ordering")]
        return self.listed(params).order_by(*order)

    def get_object(self) -> Model:
        obj = super().get_object()  # 404 outside the caller's district or scope
        right = self.object_actions.get(self.action, "change")
        if right is not None:
            require(self.actor, right, obj)  # 403
        return obj

    def fresh(self, obj: Model) -> Model:
        """Re-read a written row so it carries the list's annotations and prefetches."""
        return self.everything().get(pk=obj.pk)

    def list(self, request, *args, **kwargs):
        if self.list_right:
            require(self.actor, self.list_right, self.model)  # before the parameters
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        require(self.actor, "create", self.model)  # before validation: no probing
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer) -> None:
        serializer.instance = self.fresh(self.create_with(serializer.validated_data))

    def perform_update(self, serializer) -> None:
        obj = self.update_with(serializer.instance, serializer.validated_data)
        serializer.instance = self.fresh(obj)

    def body(self, serializer_class, **context):
        """The validated body of an action (after get_object, so access comes first)."""
        body = serializer_class(
            data=self.request.data, context={**self.get_serializer_context(), **context}
        )
        body.is_valid(raise_exception=True)
        return body.validated_data

    def respond(self, obj: Model, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.fresh(obj)).data, status=code)

    def require_for_unit(self, model: type[Model], data: dict[str, Any]) -> None:
        """ "create" on the model lets any leader in; this asks for the school or program named.
        A body naming neither or both is left to the service, which says so with its code."""
        if (data.get("school") is None) != (data.get("program") is None):
            probe = model(
                district=self.actor.district, school=data.get("school"), program=data.get("program")
            )
            require(self.actor, "create", probe)
