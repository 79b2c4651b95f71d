from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from recommendations import selectors
from recommendations.pagination import ItemPaginator
from recommendations.views.common import (
    bulk_form_for,
    item_csv_response,
    require,
    wants_csv,
)
from recommendations.views.items import PAGE_SIZE


class ReviewQueueView(LoginRequiredMixin, View):
    """Submissions awaiting an inspector's decision across their forces, oldest first; new
    items (published, not yet submitted: the force's turn) on a tab of their own."""

    def get(self, request):
        require("recommendations.view_review_queue", request.user)
        today = timezone.localdate()
        new = request.GET.get("show") == "new"
        items = selectors.review_queue(request.user, new=new)
        if wants_csv(request):
            name = "new-items" if new else "review-queue"
            return item_csv_response(name, items, today)
        counts = selectors.review_queue_counts(request.user)
        # The tab's count is the list's: the pager does not count it again.
        paginator = ItemPaginator(items, PAGE_SIZE, count=counts["new" if new else "submitted"])
        page = paginator.get_page(request.GET.get("page"))
        return render(
            request,
            "recommendations/review_queue.html",
            {
                "page": page,
                "items": page.object_list,
                "today": today,
                "new": new,
                "counts": counts,
                "bulk_form": None if new else bulk_form_for(request.user),
            },
        )
