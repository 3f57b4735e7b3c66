from . import culture_ticketing_file_import
