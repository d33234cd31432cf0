"""資料7 writes: the DX-structure section is plain fields, so the framework's writer does all of it
(fill, `full_clean` with the model's rules, save with history, carry forward every field)."""

from council.dx.models import DXStructure
from council.framework.sections import SectionWriter


class DXStructureWriter(SectionWriter[DXStructure]):
    model = DXStructure
