"""The review round: cities check their data, the team decides, everything is recorded (docs/review.md).

A campaign (``open_campaign`` / ``open_review`` with mails, ``close_campaign``) moves a draft
edition to review. Cities ``save_entries`` (confirm, or correct with evidence — a URL and/or a
file from ``store_upload``) and ``submit_review``; the team ``decide``s (accept writes a revision
linked to the entry, reject, ask back) and ``accept_confirmations`` in bulk. ``city_sheet``,
``queue`` and ``status_board`` feed the pages and the CLI; ``export_review`` writes the log and
``receipt_html`` / ``receipt_pdf`` the city's receipt. Who acts is a user reference (``by``).
"""

from cityindex.review.campaigns import CampaignInfo, campaign_info, close_campaign, open_campaign
from cityindex.review.decisions import DECISIONS, accept_confirmations, decide
from cityindex.review.errors import (AlreadySubmitted, CampaignClosed, CampaignExists, ChangedSinceReview,
                                     InvalidEntry, MailError, NoCampaign, NotDecidable, OpenProposals,
                                     ReviewError, UnknownItem, UploadRefused, VersionConflict)
from cityindex.review.items import Entry, Problem, answer_question, confirm_remaining, save_entries, submit_review
from cityindex.review.log import export_review, review_entries, review_log
from cityindex.review.mail import Recipient, review_url
from cityindex.review.notify import Mailing, open_review, remind
from cityindex.review.receipt import receipt_html, receipt_pdf
from cityindex.review.uploads import UploadInfo, read_upload, store_upload
from cityindex.review.views import city_sheet, get_item, queue, review_summary, status_board

__all__ = [
    "AlreadySubmitted", "CampaignClosed", "CampaignExists", "CampaignInfo", "ChangedSinceReview", "DECISIONS",
    "Entry", "InvalidEntry", "MailError", "Mailing", "NoCampaign", "NotDecidable", "OpenProposals", "Problem",
    "Recipient", "ReviewError", "UnknownItem", "UploadInfo", "UploadRefused", "VersionConflict",
    "accept_confirmations", "answer_question", "campaign_info", "city_sheet", "close_campaign", "confirm_remaining",
    "decide", "export_review", "get_item", "open_campaign", "open_review", "queue", "read_upload", "receipt_html",
    "receipt_pdf",
    "remind", "review_entries", "review_log", "review_summary", "review_url", "save_entries", "status_board",
    "store_upload", "submit_review",
]
