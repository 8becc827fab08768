"""Printed documents: handouts, sign-in sheets, attendance reports and letters, made with ReportLab."""
