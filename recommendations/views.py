from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import ListView

from recommendations import selectors


class ItemListView(LoginRequiredMixin, ListView):
    """Every item the user may see, most urgent first."""

    template_name = "recommendations/item_list.html"
    context_object_name = "items"
    paginate_by = 100

    def get_queryset(self):
        return selectors.items_for_user(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        context["due_soon_days"] = settings.TRACKER_DUE_SOON_DAYS
        return context
