"""The one error the importer raises: its message is shown to the inspector as it is."""

NO_FINDINGS_MESSAGE = (
    "No causes of concern, recommendations or areas for improvement were found in this text."
)


class PublicationParseError(ValueError):
    """The text or file cannot be imported; ``message`` says why, in words for the user."""

    def __init__(self, message: str = NO_FINDINGS_MESSAGE) -> None:
        super().__init__(message)
        self.message = message
