from django.urls import path

from recommendations.views import (
    bulk,
    extensions,
    forces,
    imports,
    inspections,
    item_changes,
    items,
    my_work,
    publication,
    review,
)

app_name = "recommendations"

urlpatterns = [
    path("", forces.HomeView.as_view(), name="home"),
    path("items/", items.ItemListView.as_view(), name="item-list"),
    path("items/<int:pk>/", items.ItemDetailView.as_view(), name="item-detail"),
    path("items/bulk/", bulk.BulkView.as_view(), name="items-bulk"),
    path(
        "items/<int:pk>/status/",
        item_changes.TransitionView.as_view(),
        name="item-transition",
    ),
    path("items/<int:pk>/due-date/", item_changes.DueDateView.as_view(), name="item-due-date"),
    path("items/<int:pk>/owner/", item_changes.OwnerView.as_view(), name="item-owner"),
    path(
        "items/<int:pk>/extension/",
        extensions.ExtensionRequestView.as_view(),
        name="extension-request",
    ),
    path(
        "items/<int:pk>/extension/<int:request_pk>/decision/",
        extensions.ExtensionDecisionView.as_view(),
        name="extension-decision",
    ),
    path("items/<int:pk>/actions/", item_changes.ActionCreateView.as_view(), name="action-create"),
    path(
        "items/<int:pk>/actions/<int:action_pk>/",
        item_changes.ActionUpdateView.as_view(),
        name="action-update",
    ),
    path(
        "items/<int:pk>/updates/", item_changes.ProgressUpdateView.as_view(), name="update-create"
    ),
    path(
        "items/<int:pk>/evidence/",
        item_changes.EvidenceCreateView.as_view(),
        name="evidence-create",
    ),
    path(
        "items/<int:pk>/evidence/<int:evidence_pk>/download/",
        item_changes.EvidenceDownloadView.as_view(),
        name="evidence-download",
    ),
    path("my-work/", my_work.MyWorkView.as_view(), name="my-work"),
    path(
        "my-work/actions/<int:pk>/",
        my_work.MyWorkActionView.as_view(),
        name="my-work-action",
    ),
    path(
        "items/<int:pk>/timeline/<int:entry_pk>/public/",
        publication.TimelineEntryPublicView.as_view(),
        name="timeline-entry-public",
    ),
    path("review/", review.ReviewQueueView.as_view(), name="review-queue"),
    path("import/", imports.ImportStartView.as_view(), name="import"),
    path("import/preview/", imports.ImportPreviewView.as_view(), name="import-preview"),
    path("forces/", forces.ForceOverviewView.as_view(), name="force-overview"),
    path("forces/<slug:slug>/", forces.ForceDashboardView.as_view(), name="force-dashboard"),
    path(
        "forces/<slug:slug>/monitoring-stage/",
        forces.MonitoringStageView.as_view(),
        name="monitoring-stage",
    ),
    path(
        "inspections/<int:pk>/",
        inspections.InspectionDetailView.as_view(),
        name="inspection-detail",
    ),
    path(
        "inspections/<int:pk>/publish/",
        publication.PublishInspectionView.as_view(),
        name="inspection-publish",
    ),
    path(
        "inspections/<int:pk>/unpublish/",
        publication.UnpublishInspectionView.as_view(),
        name="inspection-unpublish",
    ),
    path(
        "causes-of-concern/<int:pk>/close/",
        inspections.CloseCauseOfConcernView.as_view(),
        name="cause-of-concern-close",
    ),
    path(
        "causes-of-concern/<int:pk>/reopen/",
        inspections.ReopenCauseOfConcernView.as_view(),
        name="cause-of-concern-reopen",
    ),
]
