from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """50 to a page by default; `page_size` up to 500, so every answer is bounded."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
