from django.urls import path

from council.meetings import views as meetings

urlpatterns = [
    path("meetings/", meetings.MeetingListView.as_view(), name="meetings"),
    path("meetings/<int:pk>/", meetings.MeetingDetailView.as_view(), name="meeting"),
    path("meetings/<int:pk>/present/", meetings.PresentView.as_view(), name="present"),
    path("meetings/<int:pk>/print/", meetings.PrintView.as_view(), name="print"),
    path("meetings/<int:pk>/workbook.xlsx", meetings.WorkbookView.as_view(), name="workbook"),
    path("meetings/<int:pk>/freeze/", meetings.FreezeView.as_view(), name="freeze"),
    path("meetings/<int:pk>/copy/", meetings.CopyView.as_view(), name="copy"),
    path("meetings/<int:pk>/materials/<int:number>/", meetings.MaterialView.as_view(), name="material"),
    path(
        "meetings/<int:pk>/materials/<int:number>/freeze/",
        meetings.FreezeView.as_view(),
        name="freeze_material",
    ),
    path(
        "meetings/<int:pk>/materials/<int:number>/text/",
        meetings.NarrativeView.as_view(),
        name="material_text",
    ),
    path("meetings/<int:pk>/opinions/", meetings.OpinionRecordView.as_view(), name="record_opinion"),
    path("actions/", meetings.ActionListView.as_view(), name="actions"),
    path("actions/<int:pk>/", meetings.ActionUpdateView.as_view(), name="action"),
]
