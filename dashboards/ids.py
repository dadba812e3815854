"""Every component id used by the dashboards, so layouts, callbacks and tests agree on them."""

from __future__ import annotations

# Navigation shell
TOPBAR = "topbar"
TOPBAR_ALLIANCE = "topbar-alliance"
NAV = "nav"

# Home page
HOME = "home"
HOME_ALLIANCE_NAME = "home-alliance-name"
HOME_CATALOGUE = "home-catalogue"
HOME_POSITION = "home-position"
HOME_AS_OF_ERROR = "home-as-of-error"
HOME_NO_CATALOGUE = "home-no-catalogue"
HOME_SUMMARY = "home-summary"
HOME_LATEST = "home-latest"
HOME_LATEST_EMPTY = "home-latest-empty"
HOME_LATEST_TABLE = "home-latest-table"
HOME_PEER_GROUP_CHART = "home-peer-group-chart"
HOME_DOMAIN_CHART = "home-domain-chart"
HOME_MEASURES = "home-measures"
HOME_MEMBERS = "home-members"
HOME_MEMBERS_FILTER = "home-members-filter"
HOME_MEMBERS_STORE = "home-members-store"
HOME_MEMBERS_TABLE = "home-members-table"
HOME_MEMBERS_BODY = "home-members-body"
HOME_MEMBERS_COUNT = "home-members-count"
